# METADATA
# title: "VPC firewall rule admits traffic from outside Google's proxy ranges"
# description: "An enabled ingress allow rule of the VPC network admits TCP or UDP (or every protocol) from public addresses other than Google's: the applications and VMs behind it can be reached without going through Identity-Aware Proxy, whose TCP forwarding and HTTPS proxies connect from 35.235.240.0/20, or through a Google load balancer, whose proxies and health checks come from 130.211.0.0/22 and 35.191.0.0/16 (209.85.152.0/22 and 209.85.204.0/22 for legacy health checks, 2600:2d00:1:b029::/64 and 2600:2d00:1:1::/64 over IPv6). CIS GCP 5.0 3.12 (Manual) wants access to apps and VMs restricted to those ranges, with IAP authenticating each request. Private addresses (RFC 1918, 100.64.0.0/10, IPv6 unique local and link-local), network tags and service accounts as sources are traffic within the network and pass, as do ICMP and other protocols without ports; a rule listed without its sources or ports is UNKNOWN."
# scope: package
# custom:
#   id: gcp-firewall-not-google-sources-only
#   severity: LOW
#   category: exposure
#   class: firewall
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Firewall]
#   requires: [facts.firewall.rules]
#   remediation: "Put the application behind IAP (an external HTTPS load balancer with IAP enabled on its backend service, or IAP TCP forwarding for SSH and RDP) and limit the rule's source ranges to 35.235.240.0/20, 130.211.0.0/22 and 35.191.0.0/16 (gcloud compute firewall-rules update RULE --source-ranges=35.235.240.0/20,130.211.0.0/22,35.191.0.0/16)."
#   frameworks:
#     cis-gcp-5.0: ["3.12"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     nist-800-53-r5: ["SC-7", "AC-17"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.gcp_firewall_not_google_sources_only

import data.vigil.lib.net as vnet

# Google's ranges the benchmark allows: IAP's TCP forwarding and proxies,
# then the load balancers' proxies and health checks (IPv4 and IPv6).
google_ranges := {
	"35.235.240.0/20",
	"130.211.0.0/22", "35.191.0.0/16", "209.85.152.0/22", "209.85.204.0/22",
	"2600:2d00:1:b029::/64", "2600:2d00:1:1::/64",
}

# Addresses that do not come from the internet.
private_ranges := {
	"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10",
	"127.0.0.0/8", "169.254.0.0/16", "fc00::/7", "fe80::/10",
}

# address(s): a source that is an address or a range (not a network tag or
# a service account).
address(s) if {
	not contains(s, "@")
	regex.match(`^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$`, s)
	contains(s, ".")
}

address(s) if {
	not contains(s, "@")
	regex.match(`^[0-9A-Fa-f:.]+(/[0-9]{1,3})?$`, s)
	contains(s, ":")
}

within(s, ranges) if {
	some c in ranges
	net.cidr_contains(c, s)
}

# outside_google(s): a public address or range, neither Google's nor private
# (the engine computes it in Go: a native predicate).
outside_google(s) if {
	address(s)
	not within(s, google_ranges)
	not within(s, private_ranges)
}

# admits(rule): an enabled ingress rule allowing a protocol with ports.
admits(rule) if {
	vnet.active_ingress(rule)
	rule.action == "allow"
	rule.protocol in vnet.port_protocols
}

outside_sources(r) := {s |
	some rule in r.facts.firewall.rules
	admits(rule)
	some s in rule.sources
	outside_google(s)
}

fail contains r.id if {
	some r in input.resources.firewall
	r.type == "compute.googleapis.com/Firewall"
	some rule in r.facts.firewall.rules
	admits(rule)
	some s in rule.sources
	outside_google(s)
}

message[r.id] := concat("", ["ingress is allowed from ", concat(", ", sort(outside_sources(r))), ": neither Google's IAP and load-balancer ranges nor private addresses"]) if {
	some r in input.resources.firewall
	r.id in fail
}
