package vigil.rules.firewall_cifs_open_to_internet_test

import data.vigil.rules.firewall_cifs_open_to_internet as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"firewall": [{"id": "r1", "provider": "aws", "type": "AWS::EC2::SecurityGroup", "facts": facts}]}}

ingress(proto, from, to, sources) := {"direction": "ingress", "action": "allow", "protocol": proto, "from_port": from, "to_port": to, "sources": sources}

test_fail_445_open_ipv4 if {
	"r1" in rule.fail with input as one({"firewall": {"rules": [ingress("tcp", 445, 445, ["0.0.0.0/0"])]}})
}

test_fail_range_open_ipv6 if {
	"r1" in rule.fail with input as one({"firewall": {"rules": [ingress("tcp", 400, 500, ["::/0"])]}})
}

test_fail_all_protocols if {
	"r1" in rule.fail with input as one({"firewall": {"rules": [ingress("all", 0, 65535, ["0.0.0.0/0"])]}})
}

test_pass_trusted_network if {
	inp := one({"firewall": {"rules": [ingress("tcp", 445, 445, ["10.20.0.0/16"])]}})
	not "r1" in rule.fail with input as inp
}

test_pass_other_ports_and_egress if {
	inp := one({"firewall": {"rules": [
		ingress("tcp", 443, 443, ["0.0.0.0/0"]),
		ingress("udp", 445, 445, ["0.0.0.0/0"]),
		object.union(ingress("tcp", 445, 445, ["0.0.0.0/0"]), {"direction": "egress"}),
	]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_rules_not_shown if {
	not "r1" in rule.fail with input as one({"firewall": {"default": false}})
}
