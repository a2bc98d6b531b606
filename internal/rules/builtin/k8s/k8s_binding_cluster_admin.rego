# METADATA
# title: "Binding grants cluster-admin"
# description: "A RoleBinding or ClusterRoleBinding grants the cluster-admin ClusterRole, full control of the cluster (or of the namespace); CIS Kubernetes 5.1.1 asks to use it only where required."
# scope: package
# custom:
#   id: k8s-binding-cluster-admin
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [RoleBinding.rbac.authorization.k8s.io, ClusterRoleBinding.rbac.authorization.k8s.io]
#   requires: [facts.rbac.role_ref]
#   remediation: "Bind a role with the permissions the subjects need instead of cluster-admin."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.1"]
#     nist-800-53-r5: ["AC-6", "AC-2"]
package vigil.rules.k8s_binding_cluster_admin

# Bindings only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	r.facts.rbac.role_ref.kind == "ClusterRole"
	r.facts.rbac.role_ref.name == "cluster-admin"
}

message[r.id] := sprintf("cluster-admin is granted to %s", [concat(", ", [s.name | some s in object.get(r.facts.rbac, "subjects", [])])]) if {
	some r in input.resources.kubernetes_rbac
	r.id in fail
}
