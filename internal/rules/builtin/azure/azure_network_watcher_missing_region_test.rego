package vigil.rules.azure_network_watcher_missing_region_test

import data.vigil.rules.azure_network_watcher_missing_region as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_region_without_watcher if {
	"r1" in rule.fail with input as one({"account": {"network_watcher_every_region": false, "network_watcher_missing": ["westeurope"]}})
}

test_pass_every_region if {
	not "r1" in rule.fail with input as one({"account": {"network_watcher_every_region": true}})
}

test_unknown_watchers_not_exported if {
	not "r1" in rule.fail with input as one({"account": {}})
}
