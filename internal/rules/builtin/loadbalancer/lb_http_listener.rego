# METADATA
# title: "Internet-facing load balancer serves plain HTTP"
# description: "An internet-facing load balancer (ALB/CLB, Application Gateway, GCP external HTTP load balancer) has an HTTP listener that serves requests instead of redirecting them to HTTPS, so traffic and session cookies cross the internet unencrypted. An HTTP listener that redirects to HTTPS, and internal load balancers, are not reported."
# scope: package
# custom:
#   id: lb-http-listener
#   severity: MEDIUM
#   category: encryption
#   class: load_balancer
#   providers: [aws, azure, gcp]
#   requires: [facts.load_balancer.http_listener]
#   remediation: "Change the HTTP listener's default action to a redirect to HTTPS (ALB redirect action, Application Gateway redirect configuration, GCP URL map httpsRedirect), or remove it and serve HTTPS only."
#   frameworks:
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.lb_http_listener

fail contains r.id if {
	some r in input.resources.load_balancer
	serves_http(r.facts.load_balancer)
	exposed(r)
}

serves_http(lb) if lb.http_listener == true

serves_http(lb) if {
	some l in lb.listeners
	upper(l.protocol) in {"HTTP"}
	l.redirects_to_https == false
}

# Not judged: a resource whose exposure is unknown (neither its own public
# fact nor its load balancer's says), and a load balancer whose listeners
# are judged as resources of their own.
skip contains r.id if {
	some r in input.resources.load_balancer
	not exposure_known(r)
}

skip contains r.id if {
	some r in input.resources.load_balancer
	r.id in parents
	not judged(r.facts.load_balancer)
}

skip contains r.id if {
	some r in input.resources.load_balancer
	r.type in backend_types
}

judged(lb) if is_boolean(lb.http_listener)

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

public_ids contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.public == true
}

internal_ids contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.public == false
}

# Whether r faces the internet is its own public fact, or for a listener
# resource without one that of its load balancer. Written as conditions the
# engine evaluates on the resources' fields (the sets through an index):
# exposed(r) is that it does, exposure_known(r) that either is known.
exposed(r) if r.facts.load_balancer.public == true

exposed(r) if {
	not public_known(r)
	some rel in r.relationships
	rel.type == listener_type
	rel.target_id in public_ids
}

public_known(r) if is_boolean(r.facts.load_balancer.public)

exposure_known(r) if public_known(r)

exposure_known(r) if {
	some rel in r.relationships
	rel.type == listener_type
	rel.target_id in public_ids
}

exposure_known(r) if {
	some rel in r.relationships
	rel.type == listener_type
	rel.target_id in internal_ids
}

message[id] := "an internet-facing HTTP listener serves requests without redirecting to HTTPS" if some id in fail
