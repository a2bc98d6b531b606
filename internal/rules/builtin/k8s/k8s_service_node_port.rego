# METADATA
# title: "Service exposed on node ports"
# description: "The Service has type NodePort: it listens on a port of every node, reachable wherever the nodes are, and bypasses ingress controls."
# scope: package
# custom:
#   id: k8s-service-node-port
#   severity: LOW
#   category: exposure
#   class: kubernetes_service
#   providers: [kubernetes]
#   requires: [facts.k8s_service.type]
#   remediation: "Use type ClusterIP behind an Ingress or a load balancer instead of NodePort."
#   frameworks:
#     nist-800-53-r5: ["SC-7", "CM-7"]
package vigil.rules.k8s_service_node_port

fail contains r.id if {
	some r in input.resources.kubernetes_service
	r.facts.k8s_service.type == "NodePort"
}

message[id] := "the Service is exposed on a port of every node" if some id in fail
