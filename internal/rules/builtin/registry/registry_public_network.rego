# METADATA
# title: "Container registry is reachable from all networks"
# description: "The Azure Container Registry allows public network access with a default network action of Allow, so its endpoint accepts connections (and credential guessing) from anywhere on the internet."
# scope: package
# custom:
#   id: registry-public-network
#   severity: MEDIUM
#   category: exposure
#   class: container_registry
#   providers: [azure]
#   requires: [facts.registry.public_network]
#   remediation: "Disable public network access and use private endpoints, or set the network rule set's default action to Deny with the needed IP ranges (Premium tier)."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.registry_public_network

fail contains r.id if {
	some r in input.resources.container_registry
	r.facts.registry.public_network == true
}

message[id] := "the registry accepts connections from all networks" if some id in fail
