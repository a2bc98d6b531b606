package vigil.rules.azure_keyvault_no_private_endpoint_test

import data.vigil.rules.azure_keyvault_no_private_endpoint as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"key_vault": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_no_private_endpoint if {
	"r1" in rule.fail with input as one({"key_vault": {"private_endpoint": false}})
}

test_pass_private_endpoint if {
	not "r1" in rule.fail with input as one({"key_vault": {"private_endpoint": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"key_vault": {"purge_protection": true}})
}
