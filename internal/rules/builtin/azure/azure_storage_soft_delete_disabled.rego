# METADATA
# title: "Storage account soft delete is disabled"
# description: "Blob and container soft delete are off, so deleted data cannot be recovered within a retention period."
# scope: package
# custom:
#   id: azure-storage-soft-delete-disabled
#   severity: LOW
#   category: resilience
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.delete_protection]
#   remediation: "Enable soft delete for blobs and containers (7 days or more) on the storage account's blob service."
#   frameworks:
#     cis-azure-6.0: ["9.2.1", "9.2.2"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     nist-800-53-r5: ["CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.azure_storage_soft_delete_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.delete_protection == false
}

message[id] := "soft delete is not enabled" if some id in fail
