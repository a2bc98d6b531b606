package vigil.rules.compute_database_port_reachable_from_internet_test

import data.vigil.rules.compute_database_port_reachable_from_internet as rule

one(provider, exposure) := {"resources": {"compute": [{"id": "r1", "provider": provider, "type": "T", "facts": {"exposure": exposure}}]}}

path(from, to) := {"protocol": "tcp", "family": "ipv4", "from_port": from, "to_port": to, "hops": [
	{"resource": "eni-1", "allows": "public IP 203.0.113.7"},
	{"resource": "rtb-1", "allows": "route 0.0.0.0/0 -> igw-1"},
	{"resource": "sg-1", "allows": "sg-1: allow tcp 5432 from 0.0.0.0/0"},
]}

test_fail_postgres_reachable_aws if {
	"r1" in rule.fail with input as one("aws", {"internet": true, "paths": [path(5432, 5432)]})
}

test_fail_mysql_in_a_range_azure if {
	"r1" in rule.fail with input as one("azure", {"internet": true, "paths": [path(3000, 4000)]})
}

test_fail_mongodb_gcp if {
	"r1" in rule.fail with input as one("gcp", {"internet": true, "paths": [path(27017, 27017)]})
}

test_message_names_the_path if {
	m := rule.message.r1 with input as one("aws", {"internet": true, "paths": [path(5432, 5432)]})
	contains(m, "tcp/5432")
	contains(m, "route 0.0.0.0/0 -> igw-1")
}

test_pass_reachable_on_ssh_only if {
	not "r1" in rule.fail with input as one("aws", {"internet": true, "paths": [path(22, 22)]})
}

test_pass_not_reachable if {
	not "r1" in rule.fail with input as one("aws", {"internet": false})
}

test_pass_udp_path_on_5432 if {
	p := object.union(path(5432, 5432), {"protocol": "udp"})
	not "r1" in rule.fail with input as one("aws", {"internet": true, "paths": [p]})
}

# An input problem leaves the verdict undecided; a path found still fails.
test_fail_path_found_verdict_undecided if {
	"r1" in rule.fail with input as one("aws", {"undecided": ["its input has a problem"], "paths": [path(5432, 5432)]})
}

# Undecided exposure (a route table missing from the inventory): no
# internet verdict, so UNKNOWN through custom.requires.
test_unknown_undecided if {
	not "r1" in rule.fail with input as one("aws", {"undecided": ["the route table of subnet-1 is not in the inventory"]})
}
