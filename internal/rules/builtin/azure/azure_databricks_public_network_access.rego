# METADATA
# title: "Databricks workspace allows public network access"
# description: "publicNetworkAccess is Enabled: the workspace's web application and REST API are reachable from the internet, not only through private endpoints."
# scope: package
# custom:
#   id: azure-databricks-public-network-access
#   severity: MEDIUM
#   category: network
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#   requires: [facts.database.public_endpoint]
#   remediation: "Set the workspace's public network access to Disabled once private endpoints are in place (az databricks workspace update --public-network-access Disabled)."
#   frameworks:
#     cis-azure-6.0: ["2.1.10"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_databricks_public_network_access

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.public_endpoint == true
}
