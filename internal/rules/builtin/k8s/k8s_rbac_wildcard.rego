# METADATA
# title: "Role grants wildcard permissions"
# description: "A Role or ClusterRole grants \"*\" verbs, resources, API groups or non-resource URLs: it grants everything that exists now and everything added later. CIS Kubernetes 5.1.3 asks to minimize wildcards."
# scope: package
# custom:
#   id: k8s-rbac-wildcard
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "List the API groups, resources and verbs the role needs."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.3"]
#     nist-800-53-r5: ["AC-6", "AC-3"]
package vigil.rules.k8s_rbac_wildcard

# Roles and ClusterRoles only (custom.applies_to). Each field apart: a
# rule of non-resource URLs has no resources nor API groups (a list of
# the three would be undefined there).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	wildcard(rule)
}

wildcard(rule) if "*" in rule.verbs

wildcard(rule) if "*" in rule.resources

wildcard(rule) if "*" in rule.api_groups

wildcard(rule) if "*" in rule.non_resource_urls

message[id] := "the role grants wildcard permissions" if some id in fail
