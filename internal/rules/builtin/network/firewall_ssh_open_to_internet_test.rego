package vigil.rules.firewall_ssh_open_to_internet_test

import data.vigil.rules.firewall_ssh_open_to_internet as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"firewall": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

ingress(proto, from, to, sources) := {"direction": "ingress", "action": "allow", "protocol": proto, "from_port": from, "to_port": to, "sources": sources}

test_fail_aws_security_group_open_ipv4 if {
	"r1" in rule.fail with input as one("aws", {"firewall": {"rules": [ingress("tcp", 22, 22, ["0.0.0.0/0"])]}})
}

test_fail_azure_nsg_range_from_any_ipv6 if {
	"r1" in rule.fail with input as one("azure", {"firewall": {"rules": [object.union(ingress("tcp", 20, 32, ["0.0.0.0/0", "::/0"]), {"priority": 300})]}})
}

test_fail_gcp_all_protocols if {
	"r1" in rule.fail with input as one("gcp", {"firewall": {"rules": [ingress("all", 0, 65535, ["0.0.0.0/0"])]}})
}

test_pass_restricted_source if {
	inp := one("aws", {"firewall": {"rules": [ingress("tcp", 22, 22, ["10.0.0.0/8", "203.0.113.7/32"])]}})
	not "r1" in rule.fail with input as inp
}

test_pass_no_rules if {
	inp := one("gcp", {"firewall": {"rules": []}})
	not "r1" in rule.fail with input as inp
}

test_pass_other_port_egress_disabled_and_deny if {
	inp := one("azure", {"firewall": {"rules": [
		ingress("tcp", 443, 443, ["0.0.0.0/0"]),
		object.union(ingress("tcp", 22, 22, ["0.0.0.0/0"]), {"direction": "egress"}),
		object.union(ingress("tcp", 22, 22, ["0.0.0.0/0"]), {"disabled": true}),
		object.union(ingress("tcp", 22, 22, ["0.0.0.0/0"]), {"action": "deny"}),
	]}})
	not "r1" in rule.fail with input as inp
}

test_pass_azure_deny_with_precedence if {
	inp := one("azure", {"firewall": {"rules": [
		object.union(ingress("all", 0, 65535, ["0.0.0.0/0", "::/0"]), {"action": "deny", "priority": 100}),
		object.union(ingress("tcp", 22, 22, ["0.0.0.0/0", "::/0"]), {"priority": 200}),
	]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_rules_absent if {
	inp := one("aws", {"firewall": {"default": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
