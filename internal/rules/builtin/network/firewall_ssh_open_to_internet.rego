# METADATA
# title: "SSH is open to the internet"
# description: "An enabled inbound allow rule of the security group, NSG or VPC firewall rule admits TCP port 22 (SSH) from 0.0.0.0/0 or ::/0, exposing remote administration to brute force and exploits."
# scope: package
# custom:
#   id: firewall-ssh-open-to-internet
#   severity: HIGH
#   category: exposure
#   class: firewall
#   providers: [aws, azure, gcp]
#   requires: [facts.firewall.rules]
#   remediation: "Restrict the rule's source to known administration ranges, or remove it and use a bastion, AWS Systems Manager Session Manager, Azure Bastion or IAP TCP forwarding."
#   frameworks:
#     cis-aws-7.0: ["6.3", "6.4"]
#     cis-azure-6.0: ["7.2"]
#     cis-gcp-5.0: ["3.6"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7", "AC-17"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.firewall_ssh_open_to_internet

import data.vigil.lib.net

fail contains r.id if {
	some r in input.resources.firewall
	net.exposes_port(r.facts.firewall, 22)
}

# The message says whether the open rule is effectively exposed: what
# reachability found behind it (facts.exposure).
message[r.id] := concat("", ["ingress from the internet (0.0.0.0/0 or ::/0) is allowed to TCP port 22 (SSH)", net.exposure_note(r, {22})]) if {
	some r in input.resources.firewall
	r.id in fail
}
