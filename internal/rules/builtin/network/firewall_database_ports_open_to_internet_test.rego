package vigil.rules.firewall_database_ports_open_to_internet_test

import data.vigil.rules.firewall_database_ports_open_to_internet as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"firewall": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

ingress(proto, from, to, sources) := {"direction": "ingress", "action": "allow", "protocol": proto, "from_port": from, "to_port": to, "sources": sources}

test_fail_aws_postgres if {
	inp := one("aws", {"firewall": {"rules": [ingress("tcp", 5432, 5432, ["0.0.0.0/0"])]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "ingress from the internet is allowed to database port(s) 5432" with input as inp
}

test_fail_azure_range_covering_mysql_and_mssql if {
	inp := one("azure", {"firewall": {"rules": [object.union(ingress("tcp", 1400, 3400, ["0.0.0.0/0", "::/0"]), {"priority": 100})]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "ingress from the internet is allowed to database port(s) 1433, 1521, 3306" with input as inp
}

test_fail_gcp_mongodb_ipv6 if {
	"r1" in rule.fail with input as one("gcp", {"firewall": {"rules": [ingress("tcp", 27017, 27017, ["::/0"])]}})
}

test_pass_private_source if {
	inp := one("aws", {"firewall": {"rules": [ingress("tcp", 5432, 5432, ["10.1.0.0/16"]), ingress("tcp", 443, 443, ["0.0.0.0/0"])]}})
	not "r1" in rule.fail with input as inp
}

test_pass_udp_only if {
	inp := one("gcp", {"firewall": {"rules": [ingress("udp", 0, 65535, ["0.0.0.0/0"])]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_rules_absent if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
