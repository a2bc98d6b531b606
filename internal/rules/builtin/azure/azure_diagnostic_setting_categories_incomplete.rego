# METADATA
# title: "Subscription diagnostic setting does not capture the CIS activity log categories"
# description: "The subscription's activity log diagnostic setting does not export every one of the Administrative, Alert, Policy and Security categories (directly or through the allLogs or audit category group)."
# scope: package
# custom:
#   id: azure-diagnostic-setting-categories-incomplete
#   severity: LOW
#   category: logging
#   class: audit_log
#   providers: [azure]
#   requires: [facts.audit_log.all_services]
#   remediation: "Enable the Administrative, Alert, Policy and Security categories on the subscription's diagnostic setting (az monitor diagnostic-settings subscription create/update --logs ...)."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.2"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.azure_diagnostic_setting_categories_incomplete

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.all_services == false
}

message[id] := "Administrative, Alert, Policy and Security are not all exported" if some id in fail
