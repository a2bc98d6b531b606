# METADATA
# title: "Kubernetes network policy enforcement is disabled"
# description: "The cluster does not enforce Kubernetes NetworkPolicy (no network policy engine such as Calico, Cilium, Azure NPM, GKE Dataplane V2 or the VPC CNI network policy agent), so every pod can reach every other pod and a compromised workload can move laterally."
# scope: package
# custom:
#   id: kubernetes-network-policy
#   severity: MEDIUM
#   category: network
#   class: kubernetes_cluster
#   providers: [aws, azure, gcp]
#   requires: [facts.kubernetes.network_policy]
#   remediation: "Enable network policy enforcement (EKS VPC CNI enableNetworkPolicy; AKS networkPolicy azure, calico or cilium; GKE network policy or Dataplane V2) and apply default-deny policies per namespace."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.22"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7", "AC-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.kubernetes_network_policy

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.network_policy == false
}

message[id] := "network policies are not enforced" if some id in fail
