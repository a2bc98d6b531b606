# METADATA
# title: "Databricks workspace is not deployed in a customer-managed VNet"
# description: "The workspace's clusters run in a VNet Databricks manages (no parameters.customVirtualNetworkId): their subnets, network security groups, routes and egress cannot be controlled or inspected by the organization."
# scope: package
# custom:
#   id: azure-databricks-no-vnet-injection
#   severity: MEDIUM
#   category: network
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#   requires: [facts.database.databricks.vnet_injection]
#   remediation: "Deploy the workspace with VNet injection into a VNet and two delegated subnets of your own (a workspace cannot be moved into a VNet: recreate it with --vnet and the subnets)."
#   frameworks:
#     cis-azure-6.0: ["2.1.1"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_databricks_no_vnet_injection

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.databricks.vnet_injection == false
}
