package vigil.rules.azure_diagnostic_setting_categories_incomplete_test

import data.vigil.rules.azure_diagnostic_setting_categories_incomplete as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"audit_log": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_categories_missing if {
	"r1" in rule.fail with input as one({"audit_log": {"enabled": true, "all_services": false}})
}

test_pass_every_category if {
	not "r1" in rule.fail with input as one({"audit_log": {"enabled": true, "all_services": true}})
}

test_unknown_unreadable if {
	not "r1" in rule.fail with input as one({"audit_log": {"enabled": true}})
}
