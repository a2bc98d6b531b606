# METADATA
# title: "Kubernetes cluster allows legacy authentication or authorization"
# description: "The cluster accepts static credentials outside the cloud identity provider (AKS local accounts with the cluster-admin kubeconfig, GKE basic authentication or client certificates) or authorizes with legacy ABAC: credentials that cannot be revoked per user or audited against an identity."
# scope: package
# custom:
#   id: kubernetes-legacy-auth
#   severity: HIGH
#   category: identity
#   class: kubernetes_cluster
#   providers: [azure, gcp]
#   requires: [facts.kubernetes.legacy_auth]
#   remediation: "AKS: enable Microsoft Entra ID integration and disableLocalAccounts; GKE: disable basic authentication and client certificate issuance and legacy ABAC (gcloud container clusters update --no-enable-legacy-authorization), and use IAM / RBAC."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.kubernetes_legacy_auth

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.legacy_auth == true
}

message[id] := "the cluster accepts legacy credentials or ABAC" if some id in fail
