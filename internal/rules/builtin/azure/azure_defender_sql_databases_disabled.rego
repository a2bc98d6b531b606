# METADATA
# title: "Microsoft Defender for Azure SQL Databases is not enabled for the subscription"
# description: "The subscription's Defender for Azure SQL Databases plan (Microsoft.Security/pricings/SqlServers) is on the Free tier: Azure SQL databases and managed instances get no vulnerability assessment or threat detection."
# scope: package
# custom:
#   id: azure-defender-sql-databases-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.sql_databases]
#   remediation: "Turn the Defender for Azure SQL Databases plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n SqlServers --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.7.3"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_sql_databases_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.sql_databases == false
}

message[id] := "Defender for Azure SQL Databases is Off (pricing tier Free)" if some id in fail
