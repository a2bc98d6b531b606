# METADATA
# title: "Microsoft Defender for SQL servers on machines is not enabled for the subscription"
# description: "The subscription's Defender for SQL servers on machines plan (Microsoft.Security/pricings/SqlServerVirtualMachines) is on the Free tier: SQL Server running on virtual machines gets no vulnerability assessment or threat detection."
# scope: package
# custom:
#   id: azure-defender-sql-servers-on-machines-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.sql_servers_on_machines]
#   remediation: "Turn the Defender for SQL servers on machines plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n SqlServerVirtualMachines --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.7.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_sql_servers_on_machines_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.sql_servers_on_machines == false
}

message[id] := "Defender for SQL servers on machines is Off (pricing tier Free)" if some id in fail
