# METADATA
# title: "Root user has an active access key"
# description: "The AWS account root user has an active access key; a leaked root key gives unrestricted, unscoped control of the account. Read from the IAM credential report (aws iam get-credential-report, Content decoded, saved as credential-report.csv; vigil collect writes it); without it root is UNKNOWN."
# scope: package
# custom:
#   id: aws-root-access-keys
#   severity: CRITICAL
#   category: identity
#   class: identity
#   providers: [aws]
#   applies_to:
#     facts.identity.kind: [root]
#   requires: [[facts.identity.access_keys_known, facts.identity.access_keys]]
#   remediation: "Delete the root user's access keys (IAM console, Security credentials of the root user) and use IAM roles instead."
#   frameworks:
#     cis-aws-7.0: ["2.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.2"]
#     pci-dss-4.0: ["8.2.2"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-6", "AC-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.aws_root_access_keys

import data.vigil.lib.identity

fail contains r.id if {
	some r in input.resources.identity
	r.facts.identity.kind == "root"
	is_array(r.facts.identity.access_keys) # identity.active_keys, inline: the engine counts it in Go
	count([k | some k in r.facts.identity.access_keys; k.active == true]) > 0
}

message[r.id] := sprintf("the root user has %d active access key(s)", [count(identity.active_keys(r.facts.identity))]) if {
	some r in input.resources.identity
	r.id in fail
}
