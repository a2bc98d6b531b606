package vigil.rules.azure_storage_no_readonly_lock_test

import data.vigil.rules.azure_storage_no_readonly_lock as rule

one(storage) := {"resources": {"object_storage": [{"id": "s1", "provider": "azure", "type": "Microsoft.Storage/storageAccounts", "facts": {"storage": storage}}]}}

test_fail_delete_lock_only if {
	"s1" in rule.fail with input as one({"delete_lock": true, "read_only_lock": false})
}

test_pass_read_only if {
	not "s1" in rule.fail with input as one({"delete_lock": true, "read_only_lock": true})
}

test_unknown_without_locks if {
	not "s1" in rule.fail with input as one({"secure_transport_only": true})
}
