package vigil.rules.azure_storage_no_delete_lock_test

import data.vigil.rules.azure_storage_no_delete_lock as rule

one(storage) := {"resources": {"object_storage": [{"id": "s1", "provider": "azure", "type": "Microsoft.Storage/storageAccounts", "facts": {"storage": storage}}]}}

test_fail_no_lock if {
	"s1" in rule.fail with input as one({"delete_lock": false, "read_only_lock": false})
}

test_pass_locked if {
	not "s1" in rule.fail with input as one({"delete_lock": true, "read_only_lock": false})
}

test_unknown_without_locks if {
	not "s1" in rule.fail with input as one({"secure_transport_only": true})
}
