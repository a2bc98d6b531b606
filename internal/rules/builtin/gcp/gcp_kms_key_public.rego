# METADATA
# title: "Cloud KMS key is publicly accessible"
# description: "The crypto key's IAM policy grants a role to allUsers or allAuthenticatedUsers."
# scope: package
# custom:
#   id: gcp-kms-key-public
#   severity: CRITICAL
#   category: exposure
#   class: key
#   providers: [gcp]
#   requires: [facts.key.public_access]
#   remediation: "Remove allUsers and allAuthenticatedUsers bindings from the key's IAM policy."
#   frameworks:
#     cis-gcp-5.0: ["1.10"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.15", "A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-12"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_kms_key_public

fail contains r.id if {
	some r in input.resources.key
	r.facts.key.public_access == true
}

message[id] := "the key's IAM policy grants access to allUsers / allAuthenticatedUsers" if some id in fail
