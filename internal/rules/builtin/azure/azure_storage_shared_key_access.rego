# METADATA
# title: "Storage account allows Shared Key authorization"
# description: "allowSharedKeyAccess is true or unset (null means allowed): requests signed with the account access keys, or SAS tokens derived from them, are accepted, bypassing Microsoft Entra ID and RBAC."
# scope: package
# custom:
#   id: azure-storage-shared-key-access
#   severity: MEDIUM
#   category: identity
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.shared_key_access]
#   remediation: "Set allowSharedKeyAccess to false (az storage account update --allow-shared-key-access false) after moving clients to Microsoft Entra ID."
#   frameworks:
#     cis-azure-6.0: ["9.3.1.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_storage_shared_key_access

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.shared_key_access == true
}

message[id] := "allowSharedKeyAccess is not false: the account keys authorize requests" if some id in fail
