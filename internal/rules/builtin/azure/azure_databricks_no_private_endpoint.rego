# METADATA
# title: "Databricks workspace has no private endpoint"
# description: "No approved private endpoint connection reaches the workspace, so users and clusters reach it over public endpoints."
# scope: package
# custom:
#   id: azure-databricks-no-private-endpoint
#   severity: MEDIUM
#   category: network
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#   requires: [facts.database.databricks.private_endpoint]
#   remediation: "Create a private endpoint for the workspace (sub-resource databricks_ui_api) in the VNet its users reach it from (az network private-endpoint create --group-id databricks_ui_api ...)."
#   frameworks:
#     cis-azure-6.0: ["2.1.11"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_databricks_no_private_endpoint

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.databricks.private_endpoint == false
}
