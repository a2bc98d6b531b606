package vigil.rules.azure_storage_key_rotation_reminder_disabled_test

import data.vigil.rules.azure_storage_key_rotation_reminder_disabled as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_no_policy if {
	"r1" in rule.fail with input as one({"storage": {"key_expiration_policy": false}})
}

test_pass_policy if {
	not "r1" in rule.fail with input as one({"storage": {"key_expiration_policy": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"storage": {"min_tls_version": "1.2"}})
}
