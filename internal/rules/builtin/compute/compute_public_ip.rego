# METADATA
# title: "Compute instance has a public IP address"
# description: "The instance has a public IP address and is directly addressable from the internet; access should go through load balancers, bastions or IAP."
# scope: package
# custom:
#   id: compute-public-ip
#   severity: LOW
#   category: exposure
#   class: compute
#   providers: [aws, azure, gcp]
#   requires: [facts.compute.public_ip]
#   remediation: "Remove the public IP / external access config and reach the instance through a load balancer, bastion host, Session Manager or IAP."
#   frameworks:
#     cis-gcp-5.0: ["4.9"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.compute_public_ip

import data.vigil.lib.net

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.public_ip == true
}

# The message says whether the address makes it effectively exposed: what
# reachability found (facts.exposure).
message[r.id] := concat("", ["the instance has a public IP address", net.exposure_note(r, set())]) if {
	some r in input.resources.compute
	r.id in fail
}
