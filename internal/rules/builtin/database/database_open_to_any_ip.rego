# METADATA
# title: "Managed database accepts connections from any IP address"
# description: "The database's authorized networks (Cloud SQL) or server firewall rules (Azure) include 0.0.0.0/0 (Azure 0.0.0.0-255.255.255.255), so the endpoint accepts connection attempts from the whole internet."
# scope: package
# custom:
#   id: database-open-to-any-ip
#   severity: CRITICAL
#   category: exposure
#   class: database
#   providers: [azure, gcp]
#   requires: [facts.database.authorized_networks]
#   remediation: "Remove 0.0.0.0/0 from Cloud SQL authorized networks / delete the Azure SQL firewall rule covering 0.0.0.0-255.255.255.255; allow only specific ranges or use private connectivity."
#   frameworks:
#     cis-gcp-5.0: ["6.5"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1", "1.4.4"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.database_open_to_any_ip

import data.vigil.lib.net

open_to_all(db) if {
	some cidr in db.authorized_networks
	net.internet_source(cidr)
}

fail contains r.id if {
	some r in input.resources.database
	open_to_all(r.facts.database)
}

message[id] := "authorized networks / firewall rules admit 0.0.0.0/0" if some id in fail
