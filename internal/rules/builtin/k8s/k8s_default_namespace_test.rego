package vigil.rules.k8s_default_namespace_test

import data.vigil.rules.k8s_default_namespace as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_default if {
	"r1" in rule.fail with input as one({"namespace": "default"})
	rule.message.r1 with input as one({"namespace": "default"})
}

test_pass_own if {
	inp := one({"namespace": "shop"})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_set if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
