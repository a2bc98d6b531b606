# METADATA
# title: "Project has a legacy network"
# description: "The network is a legacy network: one IPv4 range and one gateway for every region, no subnetworks, so it cannot have subnet flow logs, Private Google Access or per-region ranges, and its single gateway is a bottleneck."
# scope: package
# custom:
#   id: gcp-legacy-network
#   severity: MEDIUM
#   category: network
#   class: network
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Network]
#   requires: [facts.network.legacy]
#   remediation: "Create a custom-mode VPC network with subnetworks, move the workloads to it and delete the legacy network."
#   frameworks:
#     cis-gcp-5.0: ["3.2"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.22"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.gcp_legacy_network

fail contains r.id if {
	some r in input.resources.network
	r.type == "compute.googleapis.com/Network"
	r.facts.network.legacy == true
}

message[id] := "legacy network (a single IPv4 range, no subnetworks)" if some id in fail
