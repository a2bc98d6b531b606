package vigil.rules.azure_bastion_host_missing_test

import data.vigil.rules.azure_bastion_host_missing as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_none if {
	"r1" in rule.fail with input as one({"account": {"cis": {"bastion_host": false}}})
}

test_pass_bastion if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"bastion_host": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"app_insights": true}}})
}
