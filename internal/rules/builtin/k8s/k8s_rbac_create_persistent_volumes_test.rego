package vigil.rules.k8s_rbac_create_persistent_volumes_test

import data.vigil.rules.k8s_rbac_create_persistent_volumes as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_create_pv if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["persistentvolumes"], "verbs": ["create"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["persistentvolumes"], "verbs": ["create"]}]})
}

test_pass_claims if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["persistentvolumeclaims"], "verbs": ["create"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
