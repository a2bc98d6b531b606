package vigil.rules.k8s_rbac_secrets_read_test

import data.vigil.rules.k8s_rbac_secrets_read as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_list_secrets if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["secrets"], "verbs": ["list"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["secrets"], "verbs": ["list"]}]})
}

test_pass_named_secret if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["secrets"], "verbs": ["get"], "resource_names": ["app-config"]}]})
	not "r1" in rule.fail with input as inp
}

test_pass_configmaps if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["configmaps"], "verbs": ["get"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
