package vigil.rules.azure_subscription_owner_count_test

import data.vigil.rules.azure_subscription_owner_count as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_one_owner if {
	"r1" in rule.fail with input as one({"account": {"owners": 1}})
}

test_fail_no_owner if {
	"r1" in rule.fail with input as one({"account": {"owners": 0}})
}

test_fail_four_owners if {
	"r1" in rule.fail with input as one({"account": {"owners": 4}})
}

test_pass_two_owners if {
	not "r1" in rule.fail with input as one({"account": {"owners": 2}})
}

test_pass_three_owners if {
	not "r1" in rule.fail with input as one({"account": {"owners": 3}})
}

test_unknown_assignments_not_exported if {
	not "r1" in rule.fail with input as one({"account": {}})
}
