# METADATA
# title: "Secret is readable by anyone"
# description: "The resource policy of an AWS Secrets Manager secret allows Principal \"*\" without a restricting condition, or a GCP Secret Manager secret grants a role to allUsers / allAuthenticatedUsers, so anyone can read the credential. AWS: the resource policy comes from the Config item or aws secretsmanager get-resource-policy output (vigil collect writes it)."
# scope: package
# custom:
#   id: secret-public
#   severity: CRITICAL
#   category: exposure
#   class: secret
#   providers: [aws, gcp]
#   requires: [facts.secret.public_access]
#   remediation: "Remove the public statement or binding, rotate the secret immediately (assume it was read), and grant access only to the identities that need it."
#   frameworks:
#     cis-aws-7.0: ["2.21"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.secret_public

fail contains r.id if {
	some r in input.resources.secret
	r.facts.secret.public_access == true
}

message[id] := "the secret's policy lets anyone read it" if some id in fail
