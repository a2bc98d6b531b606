# METADATA
# title: "Load balancer TLS policy allows TLS below 1.2"
# description: "A TLS or HTTPS listener of the load balancer uses a security policy that accepts TLS 1.0 or 1.1 (ELB security policy, Application Gateway SSL policy, GCP SSL policy with a minimum TLS version below 1.2 or a COMPATIBLE profile), which allow weak ciphers and known protocol attacks."
# scope: package
# custom:
#   id: lb-weak-tls
#   severity: MEDIUM
#   category: encryption
#   class: load_balancer
#   providers: [aws, azure, gcp]
#   requires: [facts.load_balancer.weak_tls]
#   remediation: "Use a TLS 1.2+ policy: ELBSecurityPolicy-TLS13-1-2-2021-06 (ALB/NLB), AppGwSslPolicy20220101S or a custom policy with minProtocolVersion TLSv1_2 (Application Gateway), a GCP SSL policy with min TLS 1.2 and the MODERN or RESTRICTED profile."
#   frameworks:
#     cis-azure-6.0: ["7.12"]
#     cis-gcp-5.0: ["3.11"]
#     soc2: ["CC6.7"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["4.2.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-8"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-02"]
package vigil.rules.lb_weak_tls

fail contains r.id if {
	some r in input.resources.load_balancer
	r.facts.load_balancer.weak_tls == true
}

# count(...) > 0 holds for every load balancer with a listener: it is
# there, first and in the engine's direct form, so that only those are
# converted for OPA's regex and to_number (the prefilter).
fail contains r.id if {
	some r in input.resources.load_balancer
	count(r.facts.load_balancer.listeners) > 0
	some l in r.facts.load_balancer.listeners
	weak_tls(l.min_tls_version)
}

# A load balancer whose listeners are resources of their own is judged
# through them.
skip contains r.id if {
	some r in input.resources.load_balancer
	not judged(r.facts.load_balancer)
	r.id in parents
}

skip contains r.id if {
	some r in input.resources.load_balancer
	r.type in backend_types
}

judged(lb) if is_boolean(lb.weak_tls)

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

# weak_tls(v) is true for a minimum TLS version below 1.2 ("1.0", "1.1",
# and the raw spellings TLS1_0, TLSv1.1, ...).
weak_tls(v) if {
	is_string(v)
	n := tls_number(v)
	n < 1.2
}

tls_number(v) := to_number(m) if {
	m := regex.replace(upper(v), `^(TLS)?V?_?`, "")
	regex.match(`^[0-9]+(\.[0-9]+)?$`, m)
} else := to_number(concat(".", split(m, "_"))) if {
	m := regex.replace(upper(v), `^(TLS)?V?_?`, "")
	regex.match(`^[0-9]+_[0-9]+$`, m)
}

message[id] := "a listener's TLS policy accepts TLS versions below 1.2" if some id in fail
