# METADATA
# title: "Azure SQL server threat detection alerts are off or incomplete"
# description: "The SQL server's security alert policy (Microsoft Defender for SQL threat detection) is disabled, or disables some alert types (SQL injection, data exfiltration, anomalous access...), so those attacks raise no alert. Known where the input holds the server's alert policy: the securityAlertPolicies rows vigil collect lists (Resource Graph does not hold them), IaC declaring azurerm_mssql_server_security_alert_policy or Microsoft.Sql/servers/securityAlertPolicies; a server without one in the configuration is unknown, as the subscription's Defender for SQL plan may enable it."
# scope: package
# custom:
#   id: azure-sql-threat-alerts-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: database
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Sql/servers]
#   requires: [facts.database.threat_alerts]
#   remediation: "Set the server's security alert policy to Enabled with no disabled alerts (azurerm_mssql_server_security_alert_policy state = \"Enabled\", disabled_alerts = []), or enable Microsoft Defender for SQL on the subscription."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     nist-800-53-r5: ["SI-4"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.azure_sql_threat_alerts_disabled

fail contains r.id if {
	some r in input.resources.database
	r.type == "Microsoft.Sql/servers"
	r.facts.database.threat_alerts == false
}

message[id] := "threat detection alerts are disabled, or some alert types are" if some id in fail
