# METADATA
# title: "Secret rotation period is longer than 90 days"
# description: "The Secrets Manager rotation schedule or the Secret Manager rotation period of the secret is longer than 90 days, so a leaked value stays valid for months."
# scope: package
# custom:
#   id: secret-rotation-period-long
#   severity: LOW
#   category: identity
#   class: secret
#   providers: [aws, gcp]
#   requires: [facts.secret.rotation_enabled, facts.secret.rotation_period_days]
#   applies_to:
#     facts.secret.rotation_enabled: [true, null]
#   remediation: "Shorten the rotation schedule to 90 days or less (RotationRules AutomaticallyAfterDays / the Secret Manager rotation period)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.secret_rotation_period_long

# Longest acceptable rotation period: 90 days.
fail contains r.id if {
	some r in input.resources.secret
	r.facts.secret.rotation_enabled == true
	r.facts.secret.rotation_period_days > 90
}

message[r.id] := sprintf("the secret rotates every %d days", [r.facts.secret.rotation_period_days]) if {
	some r in input.resources.secret
	r.id in fail
}
