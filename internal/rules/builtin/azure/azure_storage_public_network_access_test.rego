package vigil.rules.azure_storage_public_network_access_test

import data.vigil.rules.azure_storage_public_network_access as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_setting if {
	"r1" in rule.fail with input as one({"storage": {"public_network": true}})
}

test_pass_setting if {
	not "r1" in rule.fail with input as one({"storage": {"public_network": false}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"storage": {"min_tls_version": "1.2"}})
}
