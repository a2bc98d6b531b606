# METADATA
# title: "Databricks workspace has no diagnostic log delivery"
# description: "No diagnostic setting of the workspace sends its logs (accounts, clusters, jobs, notebooks...) to a Log Analytics workspace, storage account or event hub. Known when the input holds diagnostic settings of the subscription's resources (az monitor diagnostic-settings list --resource)."
# scope: package
# custom:
#   id: azure-databricks-diagnostic-logs-disabled
#   severity: MEDIUM
#   category: logging
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#   requires: [facts.database.databricks.diagnostic_logs]
#   remediation: "Add a diagnostic setting to the workspace sending the allLogs category group to a Log Analytics workspace (az monitor diagnostic-settings create --resource WORKSPACE_ID --workspace LAW_ID --logs with categoryGroup allLogs enabled)."
#   frameworks:
#     cis-azure-6.0: ["2.1.7"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.azure_databricks_diagnostic_logs_disabled

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.databricks.diagnostic_logs == false
}
