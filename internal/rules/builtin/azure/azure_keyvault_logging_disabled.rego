# METADATA
# title: "Key Vault audit logging is not enabled"
# description: "No diagnostic setting of the vault sends its AuditEvent logs (or the audit or allLogs category group) to a destination: who read or changed its keys, secrets and certificates is not recorded. Known when the input holds diagnostic settings of the subscription's resources (az monitor diagnostic-settings list --resource)."
# scope: package
# custom:
#   id: azure-keyvault-logging-disabled
#   severity: MEDIUM
#   category: logging
#   class: key_vault
#   providers: [azure]
#   requires: [facts.key_vault.logging]
#   remediation: "Add a diagnostic setting to the vault sending the audit category group (or AuditEvent) to a Log Analytics workspace or storage account (az monitor diagnostic-settings create --resource VAULT_ID --workspace WORKSPACE_ID --logs with categoryGroup audit enabled)."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.azure_keyvault_logging_disabled

fail contains r.id if {
	some r in input.resources.key_vault
	r.facts.key_vault.logging == false
}
