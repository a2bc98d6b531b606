# METADATA
# title: "IAM user has more than one active access key"
# description: "An IAM user has two active access keys; during rotation the old key should be deactivated promptly, and a second permanent key doubles the exposure."
# scope: package
# custom:
#   id: aws-user-multiple-active-keys
#   severity: MEDIUM
#   category: identity
#   class: identity
#   providers: [aws]
#   remediation: "Deactivate and delete the unused access key, keeping at most one active key per user."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["IA-5", "AC-2"]
package vigil.rules.aws_user_multiple_active_keys

# keys_known(i) is true when the identity's access keys were enumerated.
keys_known(i) if i.access_keys_known == true

keys_known(i) if count(i.access_keys) > 0

active_count(i) := count([k | some k in object.get(i, "access_keys", []); k.active == true])

applicable contains r.id if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "user"
}

fail contains r.id if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "user"
	active_count(r.facts.identity) > 1
}

pass contains r.id if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "user"
	keys_known(r.facts.identity)
	active_count(r.facts.identity) <= 1
}

message[r.id] := sprintf("%d access keys are active", [active_count(r.facts.identity)]) if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "user"
	active_count(r.facts.identity) > 1
}
