# METADATA
# title: "Service sets externalIPs"
# description: "The Service sets spec.externalIPs; whoever can create such a Service can capture the traffic of any IP address in the cluster (CVE-2020-8554)."
# scope: package
# custom:
#   id: k8s-service-external-ips
#   severity: MEDIUM
#   category: network
#   class: kubernetes_service
#   providers: [kubernetes]
#   requires: [facts.k8s_service.external_ips]
#   remediation: "Remove externalIPs; use a LoadBalancer or Ingress, and block externalIPs with an admission policy."
#   frameworks:
#     nist-800-53-r5: ["SC-7", "SC-8"]
package vigil.rules.k8s_service_external_ips

fail contains r.id if {
	some r in input.resources.kubernetes_service
	count(r.facts.k8s_service.external_ips) > 0
}

message[r.id] := sprintf("the Service claims external IPs %s", [concat(", ", r.facts.k8s_service.external_ips)]) if {
	some r in input.resources.kubernetes_service
	r.id in fail
}
