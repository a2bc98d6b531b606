# METADATA
# title: "The default VPC network exists"
# description: "The auto-created default network comes with permissive firewall rules (SSH, RDP, ICMP from anywhere) and an auto-mode subnet in every region."
# scope: package
# custom:
#   id: gcp-default-network
#   severity: MEDIUM
#   category: network
#   class: network
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Network]
#   requires: [facts.network.default]
#   remediation: "Create custom-mode VPC networks for workloads and delete the default network."
#   frameworks:
#     cis-gcp-5.0: ["3.1"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.22"]
#     nist-800-53-r5: ["SC-7", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.gcp_default_network

# Networks only (custom.applies_to); subnetworks are
# gcp-subnet-flow-logs-disabled's.
fail contains r.id if {
	some r in input.resources.network
	r.type == "compute.googleapis.com/Network"
	r.facts.network.default == true
}

message[id] := "the project still has the default network" if some id in fail
