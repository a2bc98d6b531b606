package vigil.rules.k8s_memory_limit_missing_test

import data.vigil.rules.k8s_memory_limit_missing as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_one if {
	"r1" in rule.fail with input as one({"no_memory_limit": ["app"]})
	rule.message.r1 with input as one({"no_memory_limit": ["app"]})
}

test_fail_init_and_app if {
	"r1" in rule.fail with input as one({"no_memory_limit": ["setup", "app"]})
	rule.message.r1 with input as one({"no_memory_limit": ["setup", "app"]})
}

test_pass_none if {
	inp := one({"no_memory_limit": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Deployment"})
	not "r1" in rule.fail with input as inp
}
