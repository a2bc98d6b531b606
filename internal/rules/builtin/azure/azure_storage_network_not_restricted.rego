# METADATA
# title: "Storage account network access is not restricted"
# description: "The storage account's default network rule allows access from all networks instead of only selected virtual networks and IP ranges."
# scope: package
# custom:
#   id: azure-storage-network-not-restricted
#   severity: MEDIUM
#   category: network
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.network_default_deny]
#   remediation: "Set the storage account's networkAcls.defaultAction to Deny and allow only the needed virtual networks, IP ranges or private endpoints."
#   frameworks:
#     cis-azure-6.0: ["9.3.2.3"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_storage_network_not_restricted

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.network_default_deny == false
}

message[id] := "the default network access rule is Allow" if some id in fail
