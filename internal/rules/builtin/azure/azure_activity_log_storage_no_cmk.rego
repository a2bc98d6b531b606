# METADATA
# title: "Storage account holding the activity log is not encrypted with a customer-managed key"
# description: "The subscription's diagnostic setting sends the activity log to a storage account encrypted with Microsoft-managed keys (encryption.keySource Microsoft.Storage): the organization cannot revoke access to its audit trail by disabling a key of its own. Known when the storage account is in the input; a setting that sends to a Log Analytics workspace or an event hub only is UNKNOWN."
# scope: package
# custom:
#   id: azure-activity-log-storage-no-cmk
#   severity: LOW
#   category: encryption
#   class: audit_log
#   providers: [azure]
#   requires: [facts.audit_log.encrypted_with_cmk]
#   remediation: "Encrypt the storage account with a customer-managed key in Key Vault (az storage account update --encryption-key-source Microsoft.Keyvault --encryption-key-vault VAULT_URI --encryption-key-name KEY)."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["10.3.2"]
#     nist-800-53-r5: ["AU-9", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.azure_activity_log_storage_no_cmk

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.encrypted_with_cmk == false
}

message[id] := "the activity log's storage account uses Microsoft-managed keys" if some id in fail
