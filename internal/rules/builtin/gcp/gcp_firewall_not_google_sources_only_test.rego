package vigil.rules.gcp_firewall_not_google_sources_only_test

import data.vigil.rules.gcp_firewall_not_google_sources_only as rule

one(rules) := {"resources": {"firewall": [{"id": "f1", "provider": "gcp", "type": "compute.googleapis.com/Firewall", "facts": {"firewall": {"rules": rules}}}]}}

ingress(sources) := {"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "sources": sources}

test_fail_internet if {
	"f1" in rule.fail with input as one([ingress(["0.0.0.0/0", "::/0"])])
}

test_fail_office_address_beside_iap if {
	"f1" in rule.fail with input as one([ingress(["35.235.240.0/20", "203.0.113.7/32"])])
	rule.message.f1 == "ingress is allowed from 203.0.113.7/32: neither Google's IAP and load-balancer ranges nor private addresses" with input as one([ingress(["35.235.240.0/20", "203.0.113.7/32"])])
}

test_pass_iap_and_health_checks if {
	not "f1" in rule.fail with input as one([ingress(["35.235.240.0/20", "130.211.0.0/22", "35.191.0.0/16", "35.191.10.0/24", "2600:2d00:1:b029::/64"])])
}

test_pass_private_tags_and_service_accounts if {
	not "f1" in rule.fail with input as one([ingress(["10.128.0.0/9", "100.64.0.0/16", "fd20::/48", "web", "app@p.iam.gserviceaccount.com"])])
}

test_pass_disabled_deny_egress_and_icmp if {
	not "f1" in rule.fail with input as one([
		object.union(ingress(["0.0.0.0/0"]), {"disabled": true}),
		object.union(ingress(["0.0.0.0/0"]), {"action": "deny"}),
		object.union(ingress(["0.0.0.0/0"]), {"direction": "egress"}),
		object.union(ingress(["0.0.0.0/0"]), {"protocol": "icmp", "from_port": 0, "to_port": 65535}),
	])
}

test_unknown_rules_not_read if {
	not "f1" in rule.fail with input as {"resources": {"firewall": [{"id": "f1", "provider": "gcp", "type": "compute.googleapis.com/Firewall", "facts": {"firewall": {}}}]}}
}
