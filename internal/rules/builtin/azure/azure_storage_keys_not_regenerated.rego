# METADATA
# title: "Storage account access keys have not been regenerated for 90 days"
# description: "One of the storage account's two access keys was created more than 90 days before the scan (keyCreationTime): a leaked key stays valid indefinitely."
# scope: package
# custom:
#   id: azure-storage-keys-not-regenerated
#   severity: MEDIUM
#   category: identity
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.keys_created]
#   remediation: "Regenerate both access keys (az storage account keys renew --key primary / secondary) after moving clients to the other key, and every 90 days."
#   frameworks:
#     cis-azure-6.0: ["9.3.1.2"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.3"]
#     nist-800-53-r5: ["IA-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.azure_storage_keys_not_regenerated

import data.vigil.lib.time as t

fail contains r.id if {
	some r in input.resources.object_storage
	t.older_than(r.facts.storage.keys_created, 90)
}

message[r.id] := sprintf("an access key was created %d days ago", [t.age_days(r.facts.storage.keys_created)]) if {
	some r in input.resources.object_storage
	r.id in fail
}
