package vigil.rules.k8s_rbac_pods_exec_test

import data.vigil.rules.k8s_rbac_pods_exec as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_exec if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["pods/exec"], "verbs": ["create"]}]})
}

test_pass_logs if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["pods/log"], "verbs": ["get"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
