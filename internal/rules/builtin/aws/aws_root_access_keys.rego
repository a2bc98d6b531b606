# METADATA
# title: "Root user has an active access key"
# description: "The AWS account root user has an active access key; a leaked root key gives unrestricted, unscoped control of the account."
# scope: package
# custom:
#   id: aws-root-access-keys
#   severity: CRITICAL
#   category: identity
#   class: identity
#   providers: [aws]
#   remediation: "Delete the root user's access keys (IAM console, Security credentials of the root user) and use IAM roles instead."
#   frameworks:
#     cis-aws-7.0: ["2.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["8.2.2"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-6", "AC-2"]
package vigil.rules.aws_root_access_keys

# keys_known(i) is true when the identity's access keys were enumerated.
keys_known(i) if i.access_keys_known == true

keys_known(i) if count(i.access_keys) > 0

applicable contains r.id if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "root"
}

fail contains r.id if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "root"
	some k in r.facts.identity.access_keys
	k.active == true
}

pass contains r.id if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "root"
	keys_known(r.facts.identity)
	every k in object.get(r.facts.identity, "access_keys", []) {
		k.active == false
	}
}

message[r.id] := sprintf("the root user has %d active access key(s)", [n]) if {
	some r in input.resources.identity
	r.provider == "aws"
	r.facts.identity.kind == "root"
	n := count([k | some k in r.facts.identity.access_keys; k.active == true])
	n > 0
}
