package vigil.rules.k8s_binding_cluster_admin_test

import data.vigil.rules.k8s_binding_cluster_admin as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRoleBinding.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_cluster_admin if {
	"r1" in rule.fail with input as one({"kind": "ClusterRoleBinding", "role_ref": {"kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "ci"}]})
	rule.message.r1 with input as one({"kind": "ClusterRoleBinding", "role_ref": {"kind": "ClusterRole", "name": "cluster-admin"}, "subjects": [{"kind": "ServiceAccount", "name": "ci", "namespace": "ci"}]})
}

test_pass_view if {
	inp := one({"kind": "ClusterRoleBinding", "role_ref": {"kind": "ClusterRole", "name": "view"}, "subjects": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_no_role_ref if {
	inp := one({"kind": "ClusterRoleBinding"})
	not "r1" in rule.fail with input as inp
}
