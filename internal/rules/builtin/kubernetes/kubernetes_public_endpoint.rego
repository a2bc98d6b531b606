# METADATA
# title: "Kubernetes API server endpoint is public"
# description: "The EKS, AKS or GKE cluster's API server has a public endpoint, so the control plane is reachable from the internet (restricted at most by an allow-list) and exposed to credential attacks and API server vulnerabilities."
# scope: package
# custom:
#   id: kubernetes-public-endpoint
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_cluster
#   providers: [aws, azure, gcp]
#   requires: [facts.kubernetes.public_endpoint]
#   remediation: "Make the endpoint private (EKS endpointPublicAccess=false with private access on; AKS private cluster; GKE private endpoint) and reach it through a VPN, bastion or peered network."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.kubernetes_public_endpoint

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.public_endpoint == true
}

message[id] := "the API server has a public endpoint" if some id in fail
