# METADATA
# title: "Databricks workspace data is not encrypted with a customer-managed key"
# description: "Neither the managed services (notebooks, secrets, queries) nor the DBFS root of the workspace are encrypted with a key from the customer's Key Vault (encryption.entities.managedServices or parameters.encryption keySource Microsoft.Keyvault): only platform-managed keys protect them. Needs the Premium tier."
# scope: package
# custom:
#   id: azure-databricks-no-cmk
#   severity: LOW
#   category: encryption
#   class: data_warehouse
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Databricks/workspaces]
#   requires: [facts.database.key_manager]
#   remediation: "Encrypt the workspace's managed services and DBFS root with a Key Vault key (az databricks workspace update --key-source Microsoft.Keyvault --key-name ... --key-vault ...)."
#   frameworks:
#     cis-azure-6.0: ["2.1.8"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
package vigil.rules.azure_databricks_no_cmk

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "Microsoft.Databricks/workspaces"
	r.facts.database.key_manager == "provider"
}
