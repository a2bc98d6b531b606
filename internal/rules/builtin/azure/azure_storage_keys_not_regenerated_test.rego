package vigil.rules.azure_storage_keys_not_regenerated_test

import data.vigil.rules.azure_storage_keys_not_regenerated as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_old_keys if {
	"r1" in rule.fail with input as one({"storage": {"keys_created": "2026-06-01T00:00:00Z"}})
}

test_pass_recent_keys if {
	not "r1" in rule.fail with input as one({"storage": {"keys_created": "2026-11-01T00:00:00Z"}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"storage": {"min_tls_version": "1.2"}})
}
