package vigil.rules.k8s_service_external_ips_test

import data.vigil.rules.k8s_service_external_ips as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_service": [{"id": "r1", "provider": "kubernetes", "type": "Service", "facts": {"k8s_service": facts}}]}}

test_fail_ip if {
	"r1" in rule.fail with input as one({"type": "ClusterIP", "external_ips": ["203.0.113.7"]})
	rule.message.r1 with input as one({"type": "ClusterIP", "external_ips": ["203.0.113.7"]})
}

test_pass_none if {
	inp := one({"type": "ClusterIP", "external_ips": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"type": "ClusterIP"})
	not "r1" in rule.fail with input as inp
}
