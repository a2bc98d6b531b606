# METADATA
# title: "Virtual network flow logs are disabled"
# description: "No Network Watcher flow log captures the virtual network's (or its NSGs') traffic, so network activity cannot be investigated."
# scope: package
# custom:
#   id: azure-network-flow-logs-disabled
#   severity: MEDIUM
#   category: logging
#   class: network
#   providers: [azure]
#   requires: [facts.network.flow_logs]
#   remediation: "Create a Network Watcher virtual network flow log sending to a storage account and Traffic Analytics / Log Analytics."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.5", "6.1.1.6"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15", "A.8.16"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-12", "SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-01"]
package vigil.rules.azure_network_flow_logs_disabled

fail contains r.id if {
	some r in input.resources.network
	r.facts.network.flow_logs == false
}

message[id] := "no flow log is configured" if some id in fail
