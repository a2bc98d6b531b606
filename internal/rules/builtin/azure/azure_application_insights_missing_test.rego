package vigil.rules.azure_application_insights_missing_test

import data.vigil.rules.azure_application_insights_missing as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_none if {
	"r1" in rule.fail with input as one({"account": {"cis": {"app_insights": false}}})
}

test_pass_component if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"app_insights": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"bastion_host": true}}})
}
