# METADATA
# title: "Remote administration of the instance is reachable from the internet"
# description: "A path from any internet address reaches the instance on SSH (22), RDP (3389) or WinRM (5985, 5986): a public address, a route to an internet gateway, and every network ACL, NSG and firewall rule on the way allow it. This is the effective exposure that an open security group only suggests. AWS: paths through load balancers need their targets (aws elbv2 describe-target-health saved as <target-group-name>.<region>.json), transit gateways their attachments and routes, API Gateway its VPC links (docs/importers.md lists the files; vigil collect writes them)."
# scope: package
# custom:
#   id: compute-remote-admin-reachable-from-internet
#   severity: CRITICAL
#   category: exposure
#   class: compute
#   providers: [aws, azure, gcp]
#   requires: [facts.exposure.internet]
#   remediation: "Close the port to the internet on the hop that allows it (the security group, NSG or firewall rule named in the path), or remove the public address; reach the instance through a bastion, Session Manager, Azure Bastion or IAP TCP forwarding."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7", "AC-17"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.compute_remote_admin_reachable_from_internet

import data.vigil.lib.net

admin_ports := {22, 3389, 5985, 5986}

fail contains r.id if {
	some r in input.resources.compute

	# What reachable_on requires, first and in the engine's direct form: only
	# the compute resources with an exposure path are converted for OPA.
	not r.facts.exposure.internet == false
	count(r.facts.exposure.paths) > 0
	net.reachable_on(r, admin_ports)
}

message[r.id] := concat("", ["remote administration is reachable from the internet", net.exposure_note(r, admin_ports), net.first_path(r, admin_ports)]) if {
	some r in input.resources.compute
	r.id in fail
}
