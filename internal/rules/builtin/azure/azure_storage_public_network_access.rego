# METADATA
# title: "Storage account public network access is enabled"
# description: "publicNetworkAccess is Enabled: the account's endpoints accept connections from public networks (subject to its firewall rules) instead of private endpoints only."
# scope: package
# custom:
#   id: azure-storage-public-network-access
#   severity: MEDIUM
#   category: exposure
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.public_network]
#   remediation: "Set publicNetworkAccess to Disabled and reach the account through private endpoints (az storage account update --public-network-access Disabled)."
#   frameworks:
#     cis-azure-6.0: ["9.3.2.2"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_storage_public_network_access

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.public_network == true
}

message[id] := "publicNetworkAccess is Enabled" if some id in fail
