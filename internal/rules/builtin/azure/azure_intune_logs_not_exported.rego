# METADATA
# title: "Intune logs are not sent to a Log Analytics workspace"
# description: "No diagnostic setting of Microsoft Intune (Intune admin center > Reports > Diagnostic settings; ARM's /providers/microsoft.intune/diagnosticSettings at the tenant's root) sends its audit logs (AuditLogs: who changed a device configuration, compliance or app policy), its operational logs (OperationalLogs: enrolments) and its device and compliance inventories (DeviceComplianceOrg, Devices) to a Log Analytics workspace, so a device policy weakened or a rogue enrolment is neither alerted on nor kept past Intune's own retention (CIS Azure 6.0 6.1.1.9, Manual). A storage account or an event hub alone does not count: the control asks for Log Analytics. Read from Intune's diagnostic settings listing, kept in the Entra document under its path (vigil collect lists it; for an export of your own, az rest --method get --url https://management.azure.com/providers/microsoft.intune/diagnosticSettings?api-version=2017-04-01-preview); without it the tenant is UNKNOWN."
# scope: package
# custom:
#   id: azure-intune-logs-not-exported
#   severity: LOW
#   category: logging
#   class: org_unit
#   providers: [azure]
#   applies_to:
#     facts.org_unit.kind: [tenant]
#   requires: [facts.org_unit.tenant.intune_logs_exported]
#   remediation: "Add an Intune diagnostic setting that sends AuditLogs, OperationalLogs, DeviceComplianceOrg and Devices to a Log Analytics workspace (Intune admin center > Reports > Diagnostic settings > Add diagnostic setting; az rest --method put --url https://management.azure.com/providers/microsoft.intune/diagnosticSettings/NAME?api-version=2017-04-01-preview --body @setting.json)."
#   frameworks:
#     cis-azure-6.0: ["6.1.1.9"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-6", "AU-12"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.azure_intune_logs_not_exported

fail contains r.id if {
	some r in input.resources.org_unit
	r.facts.org_unit.kind == "tenant"
	r.facts.org_unit.tenant.intune_logs_exported == false
}

message[r.id] := concat("", ["no diagnostic setting of Intune sends ", concat(", ", r.facts.org_unit.tenant.missing_intune_logs), " to a Log Analytics workspace"]) if {
	some r in input.resources.org_unit
	r.id in fail
}
