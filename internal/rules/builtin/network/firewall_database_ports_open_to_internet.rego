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
#   requires: [facts.firewall.rules]
#   remediation: "Remove internet sources from rules covering database ports; reach databases through private networking, VPN or a bastion."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.22"]
#     pci-dss-4.0: ["1.3.1", "1.4.4"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.firewall_database_ports_open_to_internet

import data.vigil.lib.net

# Well-known database listener ports.
db_ports := {1433, 1521, 3306, 5432, 6379, 9200, 27017}

# The fail set is a set of ids, not a partial object of id to ports: OPA
# checks a partial object's keys for conflicts as it grows, quadratic over
# a large inventory. The ports are computed again for the message, which is
# evaluated over failing firewalls only.
fail contains r.id if {
	some r in input.resources.firewall
	net.exposes_any_port(r.facts.firewall, db_ports)
}

message[r.id] := sprintf("ingress from the internet is allowed to database port(s) %s%s", [concat(", ", [sprintf("%d", [p]) | some p in sort(ports)]), net.exposure_note(r, ports)]) if {
	some r in input.resources.firewall
	r.id in fail
	ports := net.exposed_ports(r.facts.firewall, db_ports)
}
