# METADATA
# title: "Key Vault purge protection is disabled"
# description: "Without purge protection a deleted vault or key can be purged immediately, destroying keys that encrypt data."
# scope: package
# custom:
#   id: azure-keyvault-purge-protection-disabled
#   severity: MEDIUM
#   category: resilience
#   class: key_vault
#   providers: [azure]
#   requires: [facts.key_vault.purge_protection]
#   remediation: "Enable purge protection (and soft delete) on the key vault (az keyvault update --enable-purge-protection true)."
#   frameworks:
#     cis-azure-6.0: ["8.3.5"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.azure_keyvault_purge_protection_disabled

fail contains r.id if {
	some r in input.resources.key_vault
	r.facts.key_vault.purge_protection == false
}

message[id] := "purge protection is disabled" if some id in fail
