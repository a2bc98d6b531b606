# METADATA
# title: "Secret has no automatic rotation"
# description: "An AWS Secrets Manager secret has no rotation configured, or a GCP Secret Manager secret has no rotation schedule, so the credential it holds stays the same until someone changes it by hand."
# scope: package
# custom:
#   id: secret-rotation-disabled
#   severity: MEDIUM
#   category: identity
#   class: secret
#   providers: [aws, gcp]
#   requires: [facts.secret.rotation_enabled]
#   remediation: "Configure rotation: a rotation Lambda with a schedule of 90 days or less (Secrets Manager); a rotation period and next rotation time with a Pub/Sub topic that triggers the rotation job (Secret Manager)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.secret_rotation_disabled

fail contains r.id if {
	some r in input.resources.secret
	r.facts.secret.rotation_enabled == false
	not r.facts.secret.enabled == false
}

message[id] := "automatic rotation is not configured" if some id in fail
