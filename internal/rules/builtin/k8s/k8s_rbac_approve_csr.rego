# METADATA
# title: "Role can approve certificate signing requests"
# description: "A Role or ClusterRole grants update or patch on certificatesigningrequests/approval: its holder can approve a certificate for any identity, system:masters included; CIS Kubernetes 5.1.11."
# scope: package
# custom:
#   id: k8s-rbac-approve-csr
#   severity: HIGH
#   category: identity
#   class: kubernetes_rbac
#   providers: [kubernetes]
#   applies_to:
#     type: [Role.rbac.authorization.k8s.io, ClusterRole.rbac.authorization.k8s.io]
#   requires: [facts.rbac.rules]
#   remediation: "Grant CSR approval only to the controllers and administrators that sign certificates."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.11"]
#     nist-800-53-r5: ["AC-6", "IA-5"]
package vigil.rules.k8s_rbac_approve_csr

# Roles and ClusterRoles only (custom.applies_to).
fail contains r.id if {
	some r in input.resources.kubernetes_rbac
	some rule in r.facts.rbac.rules
	some res in rule.resources
	res in {"certificatesigningrequests/approval", "certificatesigningrequests/*", "*"}
	some v in rule.verbs
	v in {"update", "patch", "*"}
}

message[id] := "the role can approve certificate signing requests" if some id in fail
