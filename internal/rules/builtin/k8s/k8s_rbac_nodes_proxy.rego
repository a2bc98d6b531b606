# METADATA
# title: "Role grants access to nodes/proxy"
# description: "A Role or ClusterRole grants access to the nodes/proxy subresource, which reaches the kubelet API directly (running commands in any pod of the node) and bypasses audit logging; CIS Kubernetes 5.1.10."
# scope: package
# custom:
#   id: k8s-rbac-nodes-proxy
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Remove nodes/proxy from the role."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.10"]
#     nist-800-53-r5: ["AC-6", "AU-2"]
package vigil.rules.k8s_rbac_nodes_proxy

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"nodes/proxy", "nodes/*"}
}

message[id] := "the role grants nodes/proxy" if some id in fail
