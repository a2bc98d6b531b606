# METADATA
# title: "Key Vault allows public network access"
# description: "The key vault is reachable from all networks; access should be limited to private endpoints or selected networks."
# scope: package
# custom:
#   id: azure-keyvault-public-network
#   severity: MEDIUM
#   category: exposure
#   class: key_vault
#   providers: [azure]
#   requires: [facts.key_vault.public_network]
#   remediation: "Set publicNetworkAccess to Disabled and use private endpoints (or restrict the vault firewall to selected networks)."
#   frameworks:
#     cis-azure-6.0: ["8.3.7"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_keyvault_public_network

fail contains r.id if {
	some r in input.resources.key_vault
	r.facts.key_vault.public_network == true
}

message[id] := "public network access is enabled" if some id in fail
