# METADATA
# title: "Binding grants a role to anonymous users"
# description: "A RoleBinding or ClusterRoleBinding grants a role to system:anonymous or system:unauthenticated: anyone who can reach the API server holds it."
# scope: package
# custom:
#   id: k8s-binding-anonymous
#   severity: CRITICAL
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [RoleBinding.rbac.authorization.k8s.io, ClusterRoleBinding.rbac.authorization.k8s.io]
#   requires: [facts.rbac.subjects]
#   remediation: "Remove system:anonymous and system:unauthenticated from the binding's subjects."
#   frameworks:
#     nist-800-53-r5: ["AC-3", "AC-14", "IA-2"]
package vigil.rules.k8s_binding_anonymous

# Bindings only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some s in r.facts.rbac.subjects
	s.kind in {"Group", "User"}
	s.name in {"system:anonymous", "system:unauthenticated"}
}

message[r.id] := sprintf("anonymous users are granted %s/%s", [r.facts.rbac.role_ref.kind, r.facts.rbac.role_ref.name]) if {
	some r in input.resources.kubernetes_rbac
	r.id in fail
}
