# METADATA
# title: "Binding names the system:masters group"
# description: "A binding names the system:masters group, whose members bypass RBAC authorization altogether and cannot be restricted by removing bindings; CIS Kubernetes 5.1.7."
# scope: package
# custom:
#   id: k8s-binding-system-masters
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [RoleBinding.rbac.authorization.k8s.io, ClusterRoleBinding.rbac.authorization.k8s.io]
#   requires: [facts.rbac.subjects]
#   remediation: "Use a dedicated group bound to the roles it needs instead of system:masters."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.7"]
#     nist-800-53-r5: ["AC-6", "AC-2"]
package vigil.rules.k8s_binding_system_masters

# Bindings only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some s in r.facts.rbac.subjects
	s.kind in {"Group", "User"}
	s.name in {"system:masters"}
}

message[r.id] := sprintf("system:masters is named, granted %s/%s", [r.facts.rbac.role_ref.kind, r.facts.rbac.role_ref.name]) if {
	some r in input.resources.kubernetes_rbac
	r.id in fail
}
