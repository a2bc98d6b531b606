# METADATA
# title: "Databricks workspace subnet has no network security group"
# description: "The workspace is injected into a VNet of the organization, but its public or private subnet (parameters customPublicSubnetName, customPrivateSubnetName) has no network security group, so nothing of the organization's filters the clusters' traffic. Workspaces in a VNet Databricks manages are not judged (azure-databricks-no-vnet-injection reports them). Known when the inventory holds the VNet with its subnets."
# scope: package
# custom:
#   id: azure-databricks-subnets-without-nsg
#   severity: MEDIUM
#   category: network
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#     facts.database.databricks.vnet_injection: [true, null]
#   requires: [facts.database.databricks.subnets_nsg]
#   remediation: "Associate a network security group with both of the workspace's subnets (Databricks adds its required rules to it); keep the rules Databricks needs and restrict the rest."
#   frameworks:
#     cis-azure-6.0: ["2.1.2"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.22"]
#     pci-dss-4.0: ["1.2"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_databricks_subnets_without_nsg

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.databricks.subnets_nsg == false
	not r.facts.database.databricks.vnet_injection == false
}

message[id] := "a subnet of the workspace has no network security group" if some id in fail
