package vigil.rules.k8s_service_load_balancer_test

import data.vigil.rules.k8s_service_load_balancer as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_service": [{"id": "r1", "provider": "kubernetes", "type": "Service", "facts": {"k8s_service": facts}}]}}

test_fail_lb if {
	"r1" in rule.fail with input as one({"type": "LoadBalancer"})
	rule.message.r1 with input as one({"type": "LoadBalancer"})
}

test_pass_cluster_ip if {
	inp := one({"type": "ClusterIP"})
	not "r1" in rule.fail with input as inp
}

test_pass_restricted if {
	inp := one({"type": "LoadBalancer", "load_balancer_source_ranges": ["10.0.0.0/8"]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"namespace": "x"})
	not "r1" in rule.fail with input as inp
}
