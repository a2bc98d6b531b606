# METADATA
# title: "Microsoft Graph activity logs are not sent anywhere by a diagnostic setting"
# description: "No diagnostic setting of the Microsoft Entra tenant sends its Microsoft Graph activity logs (MicrosoftGraphActivityLogs: every request applications and users make to Microsoft Graph in the tenant) to a destination (a Log Analytics workspace, a storage account, an event hub or a partner solution), so bulk reads of users, mail or files through a stolen token or a rogue application leave no trace to investigate (CIS Azure 6.0 6.1.1.7, Manual). Read from the tenant's diagnostic settings listing (/providers/microsoft.aadiam/diagnosticSettings), kept in the Entra document under its path (vigil collect lists it; for an export of your own, az rest --method get --url https://management.azure.com/providers/microsoft.aadiam/diagnosticSettings?api-version=2017-04-01); without it the tenant is UNKNOWN."
# scope: package
# custom:
#   id: azure-entra-graph-activity-logs-not-exported
#   severity: LOW
#   category: logging
#   class: org_unit
#   providers: [azure]
#   applies_to:
#     facts.org_unit.kind: [tenant]
#   requires: [facts.org_unit.tenant.graph_activity_logs_exported]
#   remediation: "Add MicrosoftGraphActivityLogs to a diagnostic setting of the tenant sending to a Log Analytics workspace or another retained destination (Entra admin center > Monitoring & health > Diagnostic settings; it needs an Entra ID P1 or P2 licence)."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.7"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     nist-800-53-r5: ["AU-12"]
#     nist-csf-2.0: ["DE.CM-03"]
package vigil.rules.azure_entra_graph_activity_logs_not_exported

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.kind == "tenant"
	r.facts.org_unit.tenant.graph_activity_logs_exported == false
}

message[r.id] := "no diagnostic setting of the tenant sends MicrosoftGraphActivityLogs to a destination" if {
	some r in input.resources.org_unit
	r.id in fail
}
