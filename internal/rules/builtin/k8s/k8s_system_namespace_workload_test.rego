package vigil.rules.k8s_system_namespace_workload_test

import data.vigil.rules.k8s_system_namespace_workload as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_kube_system if {
	"r1" in rule.fail with input as one({"namespace": "kube-system"})
	rule.message.r1 with input as one({"namespace": "kube-system"})
}

test_pass_own if {
	inp := one({"namespace": "shop"})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_set if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
