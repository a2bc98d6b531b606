# METADATA
# title: "Kubernetes RBAC is disabled"
# description: "The AKS cluster was created without Kubernetes role-based access control, so every authenticated user has full access to the cluster. (EKS and GKE always enable RBAC; GKE legacy ABAC is reported by kubernetes-legacy-auth.)"
# scope: package
# custom:
#   id: kubernetes-rbac-disabled
#   severity: HIGH
#   category: identity
#   class: kubernetes_cluster
#   providers: [azure]
#   requires: [facts.kubernetes.rbac]
#   remediation: "RBAC cannot be turned on for an existing AKS cluster: recreate it with enableRBAC and Microsoft Entra ID integration, and migrate the workloads."
#   frameworks:
#     soc2: ["CC6.3"]
#     iso27001-2022: ["A.5.15"]
#     pci-dss-4.0: ["7.2.1"]
#     hipaa: ["164.308(a)(4)"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.kubernetes_rbac_disabled

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.rbac == false
}

message[id] := "Kubernetes RBAC is disabled" if some id in fail
