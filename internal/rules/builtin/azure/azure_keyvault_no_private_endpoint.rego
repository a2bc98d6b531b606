# METADATA
# title: "Key Vault has no private endpoint"
# description: "The Key Vault has no approved private endpoint connection, so clients reach it over its public endpoint."
# scope: package
# custom:
#   id: azure-keyvault-no-private-endpoint
#   severity: LOW
#   category: network
#   class: key_vault
#   providers: [azure]
#   requires: [facts.key_vault.private_endpoint]
#   remediation: "Create a private endpoint for the vault in the VNet of its clients, approve the connection, and disable public network access."
#   frameworks:
#     cis-azure-6.0: ["8.3.8"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_keyvault_no_private_endpoint

fail contains r.id if {
	some r in input.resources.key_vault
	r.facts.key_vault.private_endpoint == false
}

message[id] := "no approved private endpoint connection" if some id in fail
