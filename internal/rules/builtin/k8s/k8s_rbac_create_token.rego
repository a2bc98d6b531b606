# METADATA
# title: "Role can create service account tokens"
# description: "A Role or ClusterRole grants create on serviceaccounts/token: its holder can mint tokens for every service account in its scope and act as them; CIS Kubernetes 5.1.13."
# scope: package
# custom:
#   id: k8s-rbac-create-token
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Remove create on serviceaccounts/token, or restrict it with resourceNames."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.13"]
#     nist-800-53-r5: ["AC-6", "IA-5"]
package vigil.rules.k8s_rbac_create_token

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"serviceaccounts/token", "serviceaccounts/*", "*"}
	some v in rule.verbs
	v in {"create", "*"}
	count(object.get(rule, "resource_names", [])) == 0
}

message[id] := "the role can create service account tokens" if some id in fail
