# METADATA
# title: "Virtual network has no DDoS Network Protection"
# description: "enableDdosProtection is false: the VNet's public IP addresses have only the platform's basic DDoS protection, without adaptive tuning, attack telemetry or cost protection."
# scope: package
# custom:
#   id: azure-vnet-ddos-protection-disabled
#   severity: LOW
#   category: resilience
#   class: network
#   providers: [azure]
#   requires: [facts.network.ddos_protection]
#   remediation: "Associate the VNet with an Azure DDoS Network Protection plan (az network vnet update --ddos-protection true --ddos-protection-plan <plan>)."
#   frameworks:
#     cis-azure-6.0: ["8.5"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.20"]
#     nist-800-53-r5: ["SC-5"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-03"]
package vigil.rules.azure_vnet_ddos_protection_disabled

fail contains r.id if {
	some r in input.resources.network
	r.facts.network.ddos_protection == false
}

message[id] := "enableDdosProtection is false" if some id in fail
