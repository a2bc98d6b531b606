# METADATA
# title: "Role can create persistent volumes"
# description: "A Role or ClusterRole grants create on persistentvolumes: a PersistentVolume can be a hostPath volume, so its holder can mount any directory of a node; CIS Kubernetes 5.1.9."
# scope: package
# custom:
#   id: k8s-rbac-create-persistent-volumes
#   severity: MEDIUM
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Let users claim storage through persistentvolumeclaims and storage classes; keep create on persistentvolumes for administrators."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.9"]
#     nist-800-53-r5: ["AC-6"]
package vigil.rules.k8s_rbac_create_persistent_volumes

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"persistentvolumes", "*"}
	some v in rule.verbs
	v in {"create", "*"}
}

message[id] := "the role can create persistent volumes" if some id in fail
