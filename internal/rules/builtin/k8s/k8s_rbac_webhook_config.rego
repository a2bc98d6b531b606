# METADATA
# title: "Role can change admission webhooks"
# description: "A Role or ClusterRole can create, update, patch or delete validating or mutating webhook configurations: its holder can read or change every object sent to the API server, or switch admission controls off; CIS Kubernetes 5.1.12."
# scope: package
# custom:
#   id: k8s-rbac-webhook-config
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Keep write access to admission webhook configurations for cluster administrators."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.12"]
#     nist-800-53-r5: ["AC-6", "CM-5"]
package vigil.rules.k8s_rbac_webhook_config

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"validatingwebhookconfigurations", "mutatingwebhookconfigurations", "*"}
	some v in rule.verbs
	v in {"create", "update", "patch", "delete", "*"}
}

message[id] := "the role can change admission webhook configurations" if some id in fail
