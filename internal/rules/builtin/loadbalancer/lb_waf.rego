# METADATA
# title: "Internet-facing web load balancer has no web application firewall"
# description: "An internet-facing load balancer with HTTP or HTTPS listeners (ALB, Application Gateway, GCP external HTTP(S) load balancer) has no WAF (AWS WAF web ACL, Application Gateway WAF / firewall policy, Cloud Armor policy), so common web attacks reach the application unfiltered. Layer-4 and internal load balancers are not reported."
# scope: package
# custom:
#   id: lb-waf
#   severity: MEDIUM
#   category: network
#   class: load_balancer
#   providers: [aws, azure, gcp]
#   requires: [facts.load_balancer.public, facts.load_balancer.waf]
#   remediation: "Associate a WAF: an AWS WAF web ACL with the managed core rule set on the ALB, the WAF_v2 tier with a WAF policy in Prevention mode on the Application Gateway, a Cloud Armor security policy on the backend services."
#   frameworks:
#     cis-azure-6.0: ["7.10"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["6.4.2"]
#     nist-800-53-r5: ["SC-7", "SI-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.lb_waf

web_protocols := {"HTTP", "HTTPS"}

fail contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.public == true
	r.facts.load_balancer.waf == false
	r.id in web
}

# Load balancers with an HTTP(S) listener, their own or a listener resource.
web contains r.id if {
	some r in input.resources.load_balancer
	some l in r.facts.load_balancer.listeners
	upper(l.protocol) in web_protocols
}

web contains rel.target_id if {
	some r in input.resources.load_balancer
	some rel in r.relationships
	rel.type == listener_type
	some l in r.facts.load_balancer.listeners
	upper(l.protocol) in web_protocols
}

# with_listeners are the load balancers whose listeners are known.
with_listeners contains r.id if {
	some r in input.resources.load_balancer
	count(r.facts.load_balancer.listeners) > 0
}

# The WAF is associated with the load balancer, not with its listener
# resources; a load balancer whose listeners are unknown cannot be told
# from a layer-4 one.
skip contains r.id if {
	some r in input.resources.load_balancer
	listener_item(r)
}

skip contains r.id if {
	some r in input.resources.load_balancer
	not r.id in with_listeners
	not r.id in parents
}

listener_type := "listener_of"

# GCP backend services are load_balancer resources without frontends: their
# listeners are the forwarding rules that reach them.
backend_types := {"compute.googleapis.com/BackendService", "compute.googleapis.com/RegionBackendService"}

# IDs of load balancers whose listeners are resources of their own.
parents contains rel.target_id if {
	some r in input.resources.load_balancer
	some rel in r.relationships
	rel.type == listener_type
}

listener_item(r) if {
	some rel in r.relationships
	rel.type == listener_type
}

message[id] := "internet-facing web listeners have no WAF" if some id in fail
