# METADATA
# title: "Role grants bind, escalate or impersonate"
# description: "A Role or ClusterRole grants the bind, escalate or impersonate verb, which let the holder grant itself any permission or act as another user; CIS Kubernetes 5.1.8."
# scope: package
# custom:
#   id: k8s-rbac-escalation-verbs
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Remove the bind, escalate and impersonate verbs unless the role is for a trusted controller."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.8"]
#     nist-800-53-r5: ["AC-6", "AC-3"]
package vigil.rules.k8s_rbac_escalation_verbs

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some v in rule.verbs
	v in {"bind", "escalate", "impersonate"}
}

message[id] := "the role grants bind, escalate or impersonate" if some id in fail
