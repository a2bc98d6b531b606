# METADATA
# title: "Storage account has no Azure Resource Manager delete lock"
# description: "No CanNotDelete or ReadOnly management lock applies to the storage account (on it, its resource group or its subscription): one mistaken or malicious delete removes the account and all its data at once. Known when the input holds the subscription's management locks (Microsoft.Authorization/locks: vigil collect writes locks.json; az lock list -o json); an empty listing (az lock list's [] saved as locks.json in a directory named after the subscription, as vigil collect writes it) is a subscription without any lock; without the listing the account is UNKNOWN."
# scope: package
# custom:
#   id: azure-storage-no-delete-lock
#   severity: LOW
#   category: resilience
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.delete_lock]
#   remediation: "Add a delete lock to the storage account (az lock create --name keep --lock-type CanNotDelete --resource-group RG --resource-name ACCOUNT --resource-type Microsoft.Storage/storageAccounts)."
#   frameworks:
#     cis-azure-6.0: ["9.3.9"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     nist-800-53-r5: ["CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.azure_storage_no_delete_lock

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.delete_lock == false
}

message[id] := "no CanNotDelete or ReadOnly lock on the account, its resource group or its subscription" if some id in fail
