# METADATA
# title: "Secret is not encrypted with a customer-managed key"
# description: "An AWS Secrets Manager secret is encrypted with the AWS-managed aws/secretsmanager key, or a GCP Secret Manager secret with a Google-managed key, rather than a customer-managed key: its encryption cannot be audited, rotated on your schedule or revoked, and the managed key cannot be shared across accounts."
# scope: package
# custom:
#   id: secret-not-customer-key
#   severity: LOW
#   category: encryption
#   class: secret
#   providers: [aws, gcp]
#   requires: [facts.secret.key_manager]
#   remediation: "Encrypt the secret with a customer-managed key: a KMS customer managed key (Secrets Manager KmsKeyId; update-secret --kms-key-id re-encrypts the current version) or customer-managed encryption with a Cloud KMS key in the secret's replication policy (Secret Manager)."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.secret_not_customer_key

fail contains r.id if {
	some r in input.resources.secret
	r.facts.secret.key_manager == "provider"
}

message[id] := "the secret is encrypted with the provider-managed key" if some id in fail
