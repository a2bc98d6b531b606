package vigil.rules.aws_nacl_admin_ports_open_to_internet_test

import data.vigil.rules.aws_nacl_admin_ports_open_to_internet as rule

acl(rules) := {"resources": {"network_acl": [{"id": "r1", "provider": "aws", "type": "AWS::EC2::NetworkAcl", "facts": {"firewall": {"stateless": true, "in_use": true, "rules": rules}}}]}}

allow_all(n, src) := {"direction": "ingress", "action": "allow", "protocol": "all", "from_port": 0, "to_port": 65535, "sources": [src], "priority": n}

deny(n, port, src) := {"direction": "ingress", "action": "deny", "protocol": "tcp", "from_port": port, "to_port": port, "sources": [src], "priority": n}

test_fail_default_allow_all if {
	"r1" in rule.fail with input as acl([allow_all(100, "0.0.0.0/0"), allow_all(101, "::/0")])
}

test_fail_ipv6_not_denied if {
	inp := acl([deny(10, 22, "0.0.0.0/0"), deny(11, 3389, "0.0.0.0/0"), allow_all(100, "0.0.0.0/0"), allow_all(101, "::/0")])
	"r1" in rule.fail with input as inp
	rule.message.r1 == "inbound TCP 22 from ::/0, 3389 from ::/0 allowed" with input as inp
}

test_fail_ssh_rule if {
	"r1" in rule.fail with input as acl([{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 22, "to_port": 22, "sources": ["0.0.0.0/0"], "priority": 100}])
}

test_pass_denied_first if {
	not "r1" in rule.fail with input as acl([
		deny(10, 22, "0.0.0.0/0"), deny(11, 3389, "0.0.0.0/0"),
		deny(12, 22, "::/0"), deny(13, 3389, "::/0"),
		allow_all(100, "0.0.0.0/0"), allow_all(101, "::/0"),
	])
}

test_pass_https_only if {
	not "r1" in rule.fail with input as acl([{"direction": "ingress", "action": "allow", "protocol": "tcp", "from_port": 443, "to_port": 443, "sources": ["0.0.0.0/0"], "priority": 100}])
}

test_pass_admin_range if {
	not "r1" in rule.fail with input as acl([allow_all(100, "10.0.0.0/8")])
}

test_skip_unassociated if {
	not "r1" in rule.fail with input as {"resources": {"network_acl": [{"id": "r1", "provider": "aws", "type": "AWS::EC2::NetworkAcl", "facts": {"firewall": {"in_use": false, "rules": [allow_all(100, "0.0.0.0/0")]}}}]}}
}

test_unknown_rules_absent if {
	not "r1" in rule.fail with input as {"resources": {"network_acl": [{"id": "r1", "provider": "aws", "type": "AWS::EC2::NetworkAcl", "facts": {"firewall": {"stateless": true}}}]}}
}
