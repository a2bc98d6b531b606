# METADATA
# title: "Virtual network has subnets without a network security group"
# description: "A subnet of the VNet that can carry a network security group has none, so its traffic is filtered only by NSGs on individual network interfaces, if any (GatewaySubnet, AzureFirewallSubnet, AzureFirewallManagementSubnet and RouteServerSubnet are not judged: Azure does not allow NSGs on them)."
# scope: package
# custom:
#   id: azure-subnet-without-nsg
#   severity: MEDIUM
#   category: network
#   class: network
#   providers: [azure]
#   requires: [facts.network.subnets_nsg]
#   remediation: "Associate a network security group with every subnet (az network vnet subnet update --vnet-name <vnet> -n <subnet> --network-security-group <nsg>)."
#   frameworks:
#     cis-azure-6.0: ["7.11"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_subnet_without_nsg

fail contains r.id if {
	some r in input.resources.network
	r.facts.network.subnets_nsg == false
}

message[r.id] := sprintf("subnets without an NSG: %s", [concat(", ", r.facts.network.subnets_without_nsg)]) if {
	some r in input.resources.network
	r.id in fail
}
