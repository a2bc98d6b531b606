package vigil.rules.k8s_rbac_nodes_proxy_test

import data.vigil.rules.k8s_rbac_nodes_proxy as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_proxy if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["nodes/proxy"], "verbs": ["get"]}]})
}

test_pass_nodes if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["nodes"], "verbs": ["get"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
