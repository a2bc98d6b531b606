# METADATA
# title: "Service exposed through an unrestricted load balancer"
# description: "The Service has type LoadBalancer and no loadBalancerSourceRanges: the cloud provider gives it an address reachable by anyone who can route to it, usually the internet."
# scope: package
# custom:
#   id: k8s-service-load-balancer
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_service
#   providers: [kubernetes]
#   requires: [facts.k8s_service.type]
#   remediation: "Use type ClusterIP behind an Ingress or gateway, mark the load balancer internal, or set loadBalancerSourceRanges."
#   frameworks:
#     nist-800-53-r5: ["SC-7", "AC-4"]
package vigil.rules.k8s_service_load_balancer

fail contains r.id if {
	some r in input.resources.kubernetes_service
	r.facts.k8s_service.type == "LoadBalancer"
	count(object.get(r.facts.k8s_service, "load_balancer_source_ranges", [])) == 0
}

message[id] := "the Service is a load balancer open to every source" if some id in fail
