# METADATA
# title: "IAM user has more than one active access key"
# description: "An IAM user has two active access keys; during rotation the old key should be deactivated promptly, and a second permanent key doubles the exposure. Read from the IAM credential report (aws iam get-credential-report, Content decoded, saved as credential-report.csv; vigil collect writes it); without it a user is UNKNOWN."
# scope: package
# custom:
#   id: aws-user-multiple-active-keys
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [user]
#   requires: [[facts.identity.access_keys_known, facts.identity.access_keys]]
#   remediation: "Deactivate and delete the unused access key, keeping at most one active key per user."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["IA-5", "AC-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.aws_user_multiple_active_keys

import data.vigil.lib.identity

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "user"
	is_array(r.facts.identity.access_keys) # identity.active_keys, inline: the engine counts it in Go
	count([k | some k in r.facts.identity.access_keys; k.active == true]) > 1
}

message[r.id] := sprintf("%d access keys are active", [count(identity.active_keys(r.facts.identity))]) if {
	some r in input.resources.identity
	r.id in fail
}
