# METADATA
# title: "Role can read secrets"
# description: "A Role or ClusterRole grants get, list or watch on secrets (or on every resource), which reveals every secret in its scope, service account tokens included; CIS Kubernetes 5.1.2."
# scope: package
# custom:
#   id: k8s-rbac-secrets-read
#   severity: MEDIUM
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Remove read access to secrets, or restrict it with resourceNames to the secrets the holder needs."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.2"]
#     nist-800-53-r5: ["AC-6", "SC-28"]
package vigil.rules.k8s_rbac_secrets_read

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some g in rule.api_groups
	g in {"", "*"}
	some res in rule.resources
	res in {"secrets", "*"}
	some v in rule.verbs
	v in {"get", "list", "watch", "*"}
	count(object.get(rule, "resource_names", [])) == 0
}

message[id] := "the role can read secrets" if some id in fail
