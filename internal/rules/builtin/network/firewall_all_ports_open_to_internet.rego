# METADATA
# title: "All ports are open to the internet"
# description: "An enabled inbound allow rule admits every protocol, or the full 0-65535 port range, from 0.0.0.0/0 or ::/0, so every listening service is exposed."
# scope: package
# custom:
#   id: firewall-all-ports-open-to-internet
#   severity: CRITICAL
#   category: exposure
#   class: firewall
#   providers: [aws, azure, gcp]
#   requires: [facts.firewall.rules]
#   remediation: "Replace the rule with rules for the specific ports the workload serves, from the narrowest sources possible."
#   frameworks:
#     cis-aws-7.0: ["6.3", "6.4"]
#     cis-azure-6.0: ["7.1", "7.2", "7.3"]
#     cis-gcp-5.0: ["3.6", "3.7"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7", "AC-17"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.firewall_all_ports_open_to_internet

import data.vigil.lib.net

fail contains r.id if {
	some r in input.resources.firewall
	net.exposes_all_ports(r.facts.firewall)
}

# The message says whether the open rule is effectively exposed: what
# reachability found behind it (facts.exposure).
message[r.id] := concat("", ["ingress from the internet is allowed on all ports", net.exposure_note(r, set())]) if {
	some r in input.resources.firewall
	r.id in fail
}
