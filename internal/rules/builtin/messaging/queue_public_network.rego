# METADATA
# title: "Service Bus or Event Hubs namespace is open to all networks"
# description: "The Service Bus or Event Hubs namespace allows public network access with no IP or virtual network rules, so its endpoint accepts connections from anywhere on the internet."
# scope: package
# custom:
#   id: queue-public-network
#   severity: MEDIUM
#   category: exposure
#   class: queue
#   providers: [azure]
#   requires: [facts.queue.public_network]
#   remediation: "Disable public network access and use private endpoints, or restrict the namespace with IP firewall and virtual network rules (default action Deny)."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.queue_public_network

fail contains r.id if {
	some r in input.resources.queue
	r.facts.queue.public_network == true
}

message[id] := "the namespace accepts connections from all networks" if some id in fail
