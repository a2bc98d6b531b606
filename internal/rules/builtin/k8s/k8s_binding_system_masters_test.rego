package vigil.rules.k8s_binding_system_masters_test

import data.vigil.rules.k8s_binding_system_masters as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRoleBinding.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_bound if {
	"r1" in rule.fail with input as one({"kind": "ClusterRoleBinding", "role_ref": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "name": "system:masters"}]})
	rule.message.r1 with input as one({"kind": "ClusterRoleBinding", "role_ref": {"kind": "ClusterRole", "name": "view"}, "subjects": [{"kind": "Group", "name": "system:masters"}]})
}

test_pass_service_account if {
	inp := one({"kind": "RoleBinding", "role_ref": {"kind": "Role", "name": "r"}, "subjects": [{"kind": "ServiceAccount", "name": "web", "namespace": "shop"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_subjects_unread if {
	inp := one({"kind": "ClusterRoleBinding", "role_ref": {"kind": "ClusterRole", "name": "view"}})
	not "r1" in rule.fail with input as inp
}
