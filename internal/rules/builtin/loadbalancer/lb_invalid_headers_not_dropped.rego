# METADATA
# title: "Application load balancer forwards invalid HTTP headers"
# description: "The application load balancer passes requests with header names that are not valid HTTP (routing.http.drop_invalid_header_fields.enabled false) on to its targets, which opens the way to request smuggling and header injection against back ends that parse headers differently."
# scope: package
# custom:
#   id: lb-invalid-headers-not-dropped
#   severity: MEDIUM
#   category: network
#   class: load_balancer
#   providers: [aws]
#   applies_to:
#     type: [AWS::ElasticLoadBalancingV2::LoadBalancer]
#   requires: [facts.load_balancer.drop_invalid_headers]
#   remediation: "Set the load balancer attribute routing.http.drop_invalid_header_fields.enabled to true (Terraform drop_invalid_header_fields = true on aws_lb)."
#   frameworks:
#     nist-800-53-r5: ["SI-10", "SC-8"]
#     pci-dss-4.0: ["6.4"]
#     nist-csf-2.0: ["PR.PS-06"]
package vigil.rules.lb_invalid_headers_not_dropped

fail contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.drop_invalid_headers == false
	not network_lb(r)
}

# A network or gateway load balancer does not parse HTTP: its listeners
# are all TCP, TLS, UDP or GENEVE.
skip contains r.id if {
	some r in input.resources.load_balancer
	network_lb(r)
}

network_lb(r) if {
	count(r.facts.load_balancer.listeners) > 0
	not http_listener(r)
}

http_listener(r) if {
	some l in r.facts.load_balancer.listeners
	upper(l.protocol) in {"HTTP", "HTTPS"}
}

message[id] := "invalid HTTP header fields are forwarded to the targets (routing.http.drop_invalid_header_fields.enabled is false)" if some id in fail
