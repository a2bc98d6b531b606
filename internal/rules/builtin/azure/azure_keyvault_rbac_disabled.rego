# METADATA
# title: "Key Vault uses access policies instead of Azure RBAC"
# description: "The vault uses legacy access policies; Azure RBAC gives finer-grained, centrally audited data-plane permissions."
# scope: package
# custom:
#   id: azure-keyvault-rbac-disabled
#   severity: LOW
#   category: identity
#   class: key_vault
#   providers: [azure]
#   requires: [facts.key_vault.rbac_authorization]
#   remediation: "Migrate the vault's permissions to Azure RBAC and set enableRbacAuthorization to true."
#   frameworks:
#     cis-azure-6.0: ["8.3.6"]
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.15"]
#     pci-dss-4.0: ["7.2.1"]
#     nist-800-53-r5: ["AC-3"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.azure_keyvault_rbac_disabled

fail contains r.id if {
	some r in input.resources.key_vault
	r.facts.key_vault.rbac_authorization == false
}

message[id] := "the vault uses legacy access policies" if some id in fail
