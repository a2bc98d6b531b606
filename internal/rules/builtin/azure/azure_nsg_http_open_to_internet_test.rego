package vigil.rules.azure_nsg_http_open_to_internet_test

import data.vigil.rules.azure_nsg_http_open_to_internet as rule

one(rules) := {"now": "2026-11-24T00:00:00Z", "resources": {"firewall": [{
	"id": "r1", "provider": "azure", "type": "Microsoft.Network/networkSecurityGroups",
	"facts": {"firewall": {"rules": rules}},
}]}}

ingress(from, to, sources, priority) := {"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": from, "to_port": to, "sources": sources, "priority": priority}

test_fail_https_from_internet if {
	inp := one([ingress(443, 443, ["0.0.0.0/0", "::/0"], 200)])
	"r1" in rule.fail with input as inp
	rule.message.r1 == "ingress from the internet is allowed to TCP port 443 (HTTP/HTTPS)" with input as inp
}

test_fail_range_covers_http if {
	inp := one([ingress(1, 1024, ["0.0.0.0/0"], 300)])
	"r1" in rule.fail with input as inp
	rule.message.r1 == "ingress from the internet is allowed to TCP port 80 and 443 (HTTP/HTTPS)" with input as inp
}

test_pass_restricted_source if {
	inp := one([ingress(443, 443, ["10.0.0.0/8"], 200), ingress(80, 80, ["203.0.113.0/24"], 210)])
	not "r1" in rule.fail with input as inp
}

test_pass_other_ports_and_shadowed if {
	inp := one([
		ingress(8443, 8443, ["0.0.0.0/0"], 200),
		object.union(ingress(443, 443, ["0.0.0.0/0"], 100), {"action": "deny"}),
		ingress(443, 443, ["0.0.0.0/0"], 300),
		object.union(ingress(80, 80, ["0.0.0.0/0"], 310), {"direction": "egress"}),
	])
	not "r1" in rule.fail with input as inp
}

test_unknown_when_rules_not_exported if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"firewall": [{
		"id": "r1", "provider": "azure", "type": "Microsoft.Network/networkSecurityGroups",
		"facts": {"firewall": {"default": false}},
	}]}}
	not "r1" in rule.fail with input as inp
}
