package vigil.rules.governance_unclassified_data_store_snapshot_test

import data.vigil.rules.governance_unclassified_data_store_snapshot as rule

res(provider, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"snapshot": [{"id": "r1", "provider": provider, "type": "T", "facts": facts}]}}

test_fail_unclassified if {
	"r1" in rule.fail with input as res("aws", {"data": {"classified": false}})
	"r1" in rule.fail with input as res("azure", {"data": {"classified": false}})
	"r1" in rule.fail with input as res("gcp", {"data": {"classified": false}})
}

test_pass_classified if {
	not "r1" in rule.fail with input as res("aws", {"data": {"classified": true, "sensitivity": "internal"}})
}

test_unknown_without_policy if {
	not "r1" in rule.fail with input as res("aws", {"data": {"locations": []}})
	not "r1" in rule.fail with input as res("aws", {})
}
