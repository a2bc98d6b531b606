# METADATA
# title: "Storage account firewall does not allow trusted Microsoft services"
# description: "networkAcls.bypass does not include AzureServices: trusted Azure services (Backup, Monitor, Event Grid...) cannot reach the account through its firewall, which pushes administrators to open it to all networks."
# scope: package
# custom:
#   id: azure-storage-trusted-services-bypass-disabled
#   severity: LOW
#   category: network
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.trusted_services_bypass]
#   remediation: "Add AzureServices to the account's network rule bypass (az storage account update --bypass AzureServices)."
#   frameworks:
#     cis-azure-6.0: ["9.3.5"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_storage_trusted_services_bypass_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.trusted_services_bypass == false
}

message[id] := "networkAcls.bypass does not include AzureServices" if some id in fail
