# METADATA
# title: "Storage account has no Azure Resource Manager read-only lock"
# description: "No ReadOnly management lock applies to the storage account (on it, its resource group or its subscription): its configuration (network rules, keys, encryption, replication) can be changed by anyone with write access. CIS asks that such a lock be considered (Level 2): it also blocks operations that are POST requests to the management plane, such as listing the account keys, so apply it where those are not needed. Known when the input holds the subscription's management locks (as azure-storage-no-delete-lock)."
# scope: package
# custom:
#   id: azure-storage-no-readonly-lock
#   severity: INFO
#   category: resilience
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.read_only_lock]
#   remediation: "Where the account's configuration should not change, add a read-only lock (az lock create --name freeze --lock-type ReadOnly --resource-group RG --resource-name ACCOUNT --resource-type Microsoft.Storage/storageAccounts)."
#   frameworks:
#     cis-azure-6.0: ["9.3.10"]
#     soc2: ["CC8.1"]
#     iso27001-2022: ["A.8.32"]
#     nist-800-53-r5: ["CM-5"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.azure_storage_no_readonly_lock

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.read_only_lock == false
}

message[id] := "no ReadOnly lock on the account, its resource group or its subscription" if some id in fail
