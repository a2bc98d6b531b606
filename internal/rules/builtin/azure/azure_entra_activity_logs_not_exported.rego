# METADATA
# title: "Entra ID audit and sign-in logs are not sent anywhere by a diagnostic setting"
# description: "No diagnostic setting of the Microsoft Entra tenant (Entra admin center > Monitoring & health > Diagnostic settings; ARM's /providers/microsoft.aadiam/diagnosticSettings) sends both its audit logs (AuditLogs) and its sign-in logs (SignInLogs) to a destination (a Log Analytics workspace, a storage account, an event hub or a partner solution): Entra keeps them 30 days at most (7 on the free tier), too short to investigate a compromise, and no SIEM sees them (CIS Azure 6.0 6.1.1.8, Manual). Read from the tenant's diagnostic settings listing, kept in the Entra document under its path (vigil collect lists it; for an export of your own, az rest --method get --url https://management.azure.com/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01); without it the tenant is UNKNOWN."
# scope: package
# custom:
#   id: azure-entra-activity-logs-not-exported
#   severity: MEDIUM
#   category: logging
#   class: org_unit
#   providers: [azure]
#   applies_to:
#     facts.org_unit.kind: [tenant]
#   requires: [facts.org_unit.tenant.activity_logs_exported]
#   remediation: "Add a diagnostic setting for the tenant that sends AuditLogs, SignInLogs (and the other sign-in categories) to a Log Analytics workspace or another retained destination (Entra admin center > Monitoring & health > Diagnostic settings > Add diagnostic setting; az rest --method put --url https://management.azure.com/providers/microsoft.aadiam/diagnosticSettings/NAME?api-version=2017-04-01 --body @setting.json)."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.8"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-6", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.azure_entra_activity_logs_not_exported

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.kind == "tenant"
	r.facts.org_unit.tenant.activity_logs_exported == false
}

message[r.id] := concat("", ["no diagnostic setting of the tenant sends ", concat(" and ", activity_missing(r)), " to a destination"]) if {
	some r in input.resources.org_unit
	r.id in fail
}

activity_missing(r) := [c | some c in r.facts.org_unit.tenant.missing_activity_logs; c != "MicrosoftGraphActivityLogs"]
