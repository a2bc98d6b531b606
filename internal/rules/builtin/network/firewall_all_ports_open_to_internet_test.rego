package vigil.rules.firewall_all_ports_open_to_internet_test

import data.vigil.rules.firewall_all_ports_open_to_internet as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"firewall": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

ingress(proto, from, to, sources) := {"direction": "ingress", "action": "allow", "protocol": proto, "from_port": from, "to_port": to, "sources": sources}

test_fail_aws_all_traffic if {
	"r1" in rule.fail with input as one("aws", {"firewall": {"rules": [ingress("all", 0, 65535, ["0.0.0.0/0"])]}})
}

test_fail_azure_any_any if {
	"r1" in rule.fail with input as one("azure", {"firewall": {"rules": [object.union(ingress("all", 0, 65535, ["0.0.0.0/0", "::/0"]), {"priority": 4000})]}})
}

test_fail_gcp_tcp_full_range_ipv6 if {
	"r1" in rule.fail with input as one("gcp", {"firewall": {"rules": [ingress("tcp", 0, 65535, ["::/0"])]}})
}

test_pass_single_port if {
	inp := one("aws", {"firewall": {"rules": [ingress("tcp", 443, 443, ["0.0.0.0/0"]), ingress("all", 0, 65535, ["10.0.0.0/8"])]}})
	not "r1" in rule.fail with input as inp
}

test_pass_partial_range if {
	inp := one("gcp", {"firewall": {"rules": [ingress("tcp", 1024, 65535, ["0.0.0.0/0"])]}})
	not "r1" in rule.fail with input as inp
}

test_pass_egress_all if {
	inp := one("aws", {"firewall": {"rules": [object.union(ingress("all", 0, 65535, ["0.0.0.0/0"]), {"direction": "egress"})]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_rules_absent if {
	inp := one("azure", {"firewall": {}})
	not "r1" in rule.fail with input as inp
}
