# METADATA
# title: "Storage account file shares have no soft delete"
# description: "The account's file service has shareDeleteRetentionPolicy off (or unset): a deleted Azure file share and its snapshots are gone at once."
# scope: package
# custom:
#   id: azure-file-share-soft-delete-disabled
#   severity: LOW
#   category: resilience
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.files.soft_delete]
#   remediation: "Enable soft delete for file shares with a retention period (az storage account file-service-properties update --enable-delete-retention true --delete-retention-days 7)."
#   frameworks:
#     cis-azure-6.0: ["9.1.1"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     nist-800-53-r5: ["CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.azure_file_share_soft_delete_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.files.soft_delete == false
}
