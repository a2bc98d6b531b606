# METADATA
# title: "CIFS/SMB is open to the internet"
# description: "An inbound allow rule of the security group admits TCP port 445 (CIFS/SMB file sharing) from 0.0.0.0/0 or ::/0, exposing file shares and the SMB service to brute force and wormable exploits."
# scope: package
# custom:
#   id: firewall-cifs-open-to-internet
#   severity: HIGH
#   category: exposure
#   class: firewall
#   providers: [aws]
#   requires: [facts.firewall.rules]
#   remediation: "Restrict the rule's source to the trusted networks that need the file share (a VPC CIDR, a VPN range), or remove it."
#   frameworks:
#     cis-aws-7.0: ["6.1.2"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.firewall_cifs_open_to_internet

import data.vigil.lib.net

fail contains r.id if {
	some r in input.resources.firewall
	net.exposes_port(r.facts.firewall, 445)
}

# The message says whether the open rule is effectively exposed: what
# reachability found behind it (facts.exposure).
message[r.id] := concat("", ["ingress from the internet (0.0.0.0/0 or ::/0) is allowed to TCP port 445 (CIFS/SMB)", net.exposure_note(r, {445})]) if {
	some r in input.resources.firewall
	r.id in fail
}
