# METADATA
# title: "Subnet VPC flow logs are disabled"
# description: "The subnet does not record VPC flow logs, so traffic to and from its instances cannot be investigated."
# scope: package
# custom:
#   id: gcp-subnet-flow-logs-disabled
#   severity: LOW
#   category: logging
#   class: network
#   providers: [gcp]
#   applies_to:
#     type: [compute.googleapis.com/Subnetwork]
#   requires: [facts.network.flow_logs]
#   remediation: "Enable flow logs on the subnet (gcloud compute networks subnets update --enable-flow-logs)."
#   frameworks:
#     cis-gcp-5.0: ["3.10"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15", "A.8.16"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-01"]
package vigil.rules.gcp_subnet_flow_logs_disabled

# Subnetworks only (custom.applies_to); networks are gcp-default-network's.
fail contains r.id if {
	some r in input.resources.network
	r.type == "compute.googleapis.com/Subnetwork"
	r.facts.network.flow_logs == false
}

message[id] := "VPC flow logs are disabled on the subnet" if some id in fail
