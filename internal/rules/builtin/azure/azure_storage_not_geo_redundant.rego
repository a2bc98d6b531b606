# METADATA
# title: "Storage account is not geo-redundant"
# description: "The storage account's redundancy (sku.name) is LRS or ZRS: its data is kept in one region only, so a regional outage or disaster makes it unavailable or loses it. CIS asks for GRS on critical accounts; vigil cannot tell which accounts are critical, so it reports every account and leaves the others to a suppression."
# scope: package
# custom:
#   id: azure-storage-not-geo-redundant
#   severity: LOW
#   category: resilience
#   class: object_storage
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Storage/storageAccounts]
#   requires: [facts.storage.geo_redundant]
#   remediation: "Set the account's redundancy to geo-redundant storage (Standard_GRS, Standard_RAGRS, Standard_GZRS or Standard_RAGZRS; Terraform account_replication_type = \"GRS\"), or suppress the finding with the reason on accounts that are not critical."
#   frameworks:
#     cis-azure-6.0: ["9.3.11"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.14"]
#     hipaa: ["164.308(a)(7)(ii)(B)"]
#     nist-800-53-r5: ["CP-6", "CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.azure_storage_not_geo_redundant

fail contains r.id if {
	some r in input.resources.object_storage
	r.type == "Microsoft.Storage/storageAccounts"
	r.facts.storage.geo_redundant == false
}

message[id] := "redundancy is local or zonal only (not GRS, RAGRS, GZRS or RAGZRS)" if some id in fail
