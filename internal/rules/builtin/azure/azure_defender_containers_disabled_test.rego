package vigil.rules.azure_defender_containers_disabled_test

import data.vigil.rules.azure_defender_containers_disabled as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_plan_free if {
	"r1" in rule.fail with input as one({"account": {"defender": {"containers": false}}})
}

test_pass_plan_standard if {
	not "r1" in rule.fail with input as one({"account": {"defender": {"containers": true}}})
}

test_unknown_plan_not_exported if {
	not "r1" in rule.fail with input as one({"account": {"defender": {}}})
}

test_unknown_no_pricings if {
	not "r1" in rule.fail with input as one({"account": {}})
}
