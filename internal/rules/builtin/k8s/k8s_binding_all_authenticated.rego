# METADATA
# title: "Binding grants a role to every authenticated user"
# description: "A RoleBinding or ClusterRoleBinding grants a role to the system:authenticated group: every identity the cluster accepts (on managed clusters, possibly any account of the cloud provider) holds it."
# scope: package
# custom:
#   id: k8s-binding-all-authenticated
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [RoleBinding.rbac.authorization.k8s.io, ClusterRoleBinding.rbac.authorization.k8s.io]
#   requires: [facts.rbac.subjects]
#   remediation: "Grant the role to the specific users, groups or service accounts that need it."
#   frameworks:
#     nist-800-53-r5: ["AC-3", "AC-6"]
package vigil.rules.k8s_binding_all_authenticated

# Bindings only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some s in r.facts.rbac.subjects
	s.kind in {"Group", "User"}
	s.name in {"system:authenticated"}
}

message[r.id] := sprintf("every authenticated user is granted %s/%s", [r.facts.rbac.role_ref.kind, r.facts.rbac.role_ref.name]) if {
	some r in input.resources.kubernetes_rbac
	r.id in fail
}
