package vigil.rules.k8s_rbac_escalation_verbs_test

import data.vigil.rules.k8s_rbac_escalation_verbs as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_bind if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"], "verbs": ["bind"]}]})
}

test_fail_impersonate if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["users", "groups"], "verbs": ["impersonate"]}]})
}

test_pass_read if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": ["rbac.authorization.k8s.io"], "resources": ["roles"], "verbs": ["get"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
