# METADATA
# title: "Role can exec into or attach to pods"
# description: "A Role or ClusterRole grants create (or get) on pods/exec or pods/attach: the holder runs commands in the pods' containers with their service account tokens and secrets."
# scope: package
# custom:
#   id: k8s-rbac-pods-exec
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Remove pods/exec and pods/attach from the role; grant them only to operators through a separate, audited role."
#   frameworks:
#     nist-800-53-r5: ["AC-6", "AC-3"]
package vigil.rules.k8s_rbac_pods_exec

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"pods/exec", "pods/attach", "pods/*"}
	some v in rule.verbs
	v in {"create", "get", "*"}
}

message[id] := "the role can exec into pods" if some id in fail
