# METADATA
# title: "Azure SQL server threat detection alerts are mailed to no one"
# description: "The SQL server's security alert policy names no email address and does not mail the subscription's administrators and owners (email_account_admins), so its threat detection alerts reach nobody. Known where the input holds the server's alert policy (the securityAlertPolicies rows vigil collect lists, IaC declaring azurerm_mssql_server_security_alert_policy or Microsoft.Sql/servers/securityAlertPolicies)."
# scope: package
# custom:
#   id: azure-sql-threat-alerts-no-recipients
#   severity: LOW
#   category: monitoring
#   class: database
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Sql/servers]
#   requires: [facts.database.threat_alert_recipients]
#   remediation: "Give the security alert policy the security team's addresses (email_addresses) and mail the subscription's administrators (email_account_admins = true)."
#   frameworks:
#     soc2: ["CC7.3"]
#     iso27001-2022: ["A.5.25"]
#     nist-800-53-r5: ["IR-6", "SI-4(5)"]
#     nist-csf-2.0: ["DE.AE-06"]
package vigil.rules.azure_sql_threat_alerts_no_recipients

fail contains r.id if {
	some r in input.resources.database
	r.type == "Microsoft.Sql/servers"
	r.facts.database.threat_alert_recipients == false
}

message[id] := "threat detection alerts are mailed to no one" if some id in fail
