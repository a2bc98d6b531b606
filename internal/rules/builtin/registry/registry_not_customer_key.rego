# METADATA
# title: "Container registry is not encrypted with a customer-managed key"
# description: "The ECR repository, Azure Container Registry or Artifact Registry repository encrypts images with the provider-managed key rather than a customer-managed key (KMS, Key Vault, Cloud KMS)."
# scope: package
# custom:
#   id: registry-not-customer-key
#   severity: LOW
#   category: encryption
#   class: container_registry
#   providers: [aws, azure, gcp]
#   requires: [facts.registry.key_manager]
#   remediation: "Create the repository or registry with customer-managed key encryption (ECR encryptionConfiguration KMS, ACR Premium with a Key Vault key, Artifact Registry with a Cloud KMS key) and move the images to it."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.registry_not_customer_key

fail contains r.id if {
	some r in input.resources.container_registry
	r.facts.registry.key_manager == "provider"
}

message[id] := "images are encrypted with the provider-managed key" if some id in fail
