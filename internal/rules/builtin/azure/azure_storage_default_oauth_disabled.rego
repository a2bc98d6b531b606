# METADATA
# title: "Storage account does not default to Microsoft Entra authorization in the portal"
# description: "defaultToOAuthAuthentication is false or unset: the Azure portal reads the account's data with the account key rather than the user's Microsoft Entra identity and RBAC."
# scope: package
# custom:
#   id: azure-storage-default-oauth-disabled
#   severity: LOW
#   category: identity
#   class: object_storage
#   providers: [azure]
#   requires: [facts.storage.default_oauth]
#   remediation: "Set defaultToOAuthAuthentication to true (az storage account update --set defaultToOAuthAuthentication=true)."
#   frameworks:
#     cis-azure-6.0: ["9.3.3.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     hipaa: ["164.312(d)"]
#     nist-800-53-r5: ["IA-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.azure_storage_default_oauth_disabled

fail contains r.id if {
	some r in input.resources.object_storage
	r.facts.storage.default_oauth == false
}

message[id] := "defaultToOAuthAuthentication is not true" if some id in fail
