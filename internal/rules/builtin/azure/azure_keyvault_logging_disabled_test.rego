package vigil.rules.azure_keyvault_logging_disabled_test

import data.vigil.rules.azure_keyvault_logging_disabled as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"key_vault": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_no_audit_logs if {
	"r1" in rule.fail with input as one({"key_vault": {"logging": false}})
}

test_pass_logged if {
	not "r1" in rule.fail with input as one({"key_vault": {"logging": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"key_vault": {"soft_delete": true}})
}
