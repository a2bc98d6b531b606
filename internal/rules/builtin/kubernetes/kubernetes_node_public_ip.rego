# METADATA
# title: "Kubernetes nodes have public IP addresses"
# description: "An AKS node pool gives its nodes public IP addresses, or the GKE cluster does not use private nodes, so every node is directly addressable from the internet."
# scope: package
# custom:
#   id: kubernetes-node-public-ip
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_cluster
#   providers: [azure, gcp]
#   requires: [facts.kubernetes.private_nodes]
#   remediation: "Disable enableNodePublicIP on AKS node pools (egress through a NAT gateway or load balancer); create GKE clusters with private nodes (enablePrivateNodes) and Cloud NAT."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.kubernetes_node_public_ip

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.private_nodes == false
}

message[id] := "nodes have public IP addresses" if some id in fail
