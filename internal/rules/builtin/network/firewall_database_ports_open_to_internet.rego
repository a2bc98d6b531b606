# METADATA
# title: "Database ports are open to the internet"
# description: "An enabled inbound allow rule admits a well-known database port (1433 SQL Server, 1521 Oracle, 3306 MySQL, 5432 PostgreSQL, 6379 Redis, 9200 Elasticsearch, 27017 MongoDB) from 0.0.0.0/0 or ::/0."
# scope: package
# custom:
#   id: firewall-database-ports-open-to-internet
#   severity: HIGH
#   category: exposure
#   class: firewall
#   providers: [aws, azure, gcp]
#   remediation: "Remove internet sources from rules covering database ports; reach databases through private networking, VPN or a bastion."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.22"]
#     pci-dss-4.0: ["1.3.1", "1.4.4"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
package vigil.rules.firewall_database_ports_open_to_internet

import data.vigil.lib.net

# Well-known database listener ports.
db_ports := {1433, 1521, 3306, 5432, 6379, 9200, 27017}

# exposed holds [firewall id, port] pairs, computed once per evaluation.
exposed contains [r.id, port] if {
	some r in input.resources.firewall
	some x in r.facts.firewall.rules
	x.direction == "ingress"
	x.action == "allow"
	object.get(x, "disabled", false) != true
	some src in x.sources
	src in net.internet_sources
	[lo, hi] := net.port_range(x)
	some port in db_ports
	lo <= port
	port <= hi
	not net.shadowed(r.facts.firewall.rules, x, port)
}

fail contains id if some [id, _] in exposed

pass contains r.id if {
	some r in input.resources.firewall

	# FAIL takes precedence over PASS in the engine, so pass needs no negation.
	is_array(r.facts.firewall.rules)
}

message[id] := sprintf("ingress from the internet is allowed to database port(s) %s", [concat(", ", ports)]) if {
	some id in fail
	nums := sort([x[1] | some x in exposed; x[0] == id])
	ports := [sprintf("%d", [p]) | some p in nums]
}
