package vigil.rules.aws_default_security_group_not_restricted_test

import data.vigil.rules.aws_default_security_group_not_restricted as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"firewall": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_default_with_rules if {
	inp := one("aws", {"firewall": {"default": true, "rules": [
		{"direction": "ingress", "action": "allow", "protocol": "all", "from_port": 0, "to_port": 65535, "sources": ["sg-0abc"]},
		{"direction": "egress", "action": "allow", "protocol": "all", "from_port": 0, "to_port": 65535, "sources": ["0.0.0.0/0"]},
	]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "the default security group has 2 rule(s)" with input as inp
}

test_pass_default_without_rules if {
	inp := one("aws", {"firewall": {"default": true, "rules": []}})
	not "r1" in rule.fail with input as inp
}

test_skip_non_default if {
	inp := one("aws", {"firewall": {"default": false, "rules": [{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "sources": ["0.0.0.0/0"]}]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_default_flag_absent if {
	inp := one("aws", {"firewall": {"rules": []}})
	not "r1" in rule.fail with input as inp
}

test_unknown_default_rules_absent if {
	inp := one("aws", {"firewall": {"default": true}})
	not "r1" in rule.fail with input as inp
}
