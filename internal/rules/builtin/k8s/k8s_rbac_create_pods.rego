# METADATA
# title: "Role can create pods"
# description: "A Role or ClusterRole grants create on pods or on pod controllers (deployments, daemonsets, statefulsets, replicasets, jobs, cronjobs): the holder can run a pod with any service account of the namespace and mount its secrets; CIS Kubernetes 5.1.4."
# scope: package
# custom:
#   id: k8s-rbac-create-pods
#   severity: MEDIUM
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Grant pod creation only to deployment tooling and controllers."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.4"]
#     nist-800-53-r5: ["AC-6"]
package vigil.rules.k8s_rbac_create_pods

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"pods", "deployments", "daemonsets", "statefulsets", "replicasets", "jobs", "cronjobs", "*"}
	some v in rule.verbs
	v in {"create", "*"}
}

message[id] := "the role can create pods" if some id in fail
