# METADATA
# title: "Storage account has no private endpoint"
# description: "The storage account has no approved private endpoint connection, so clients reach it over its public endpoints."
# scope: package
# custom:
#   id: azure-storage-no-private-endpoint
#   severity: LOW
#   category: network
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.private_endpoint]
#   remediation: "Create a private endpoint for the storage account in the VNet of its clients and approve the connection."
#   frameworks:
#     cis-azure-6.0: ["9.3.2.1"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_storage_no_private_endpoint

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.private_endpoint == false
}

message[id] := "no approved private endpoint connection" if some id in fail
