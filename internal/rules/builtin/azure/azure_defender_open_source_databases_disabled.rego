# METADATA
# title: "Microsoft Defender for open-source relational databases is not enabled for the subscription"
# description: "The subscription's Defender for open-source relational databases plan (Microsoft.Security/pricings/OpenSourceRelationalDatabases) is on the Free tier: PostgreSQL, MySQL and MariaDB servers get no detection of anomalous access or brute force."
# scope: package
# custom:
#   id: azure-defender-open-source-databases-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.open_source_databases]
#   remediation: "Turn the Defender for open-source relational databases plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n OpenSourceRelationalDatabases --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.7.2"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_open_source_databases_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.open_source_databases == false
}

message[id] := "Defender for open-source relational databases is Off (pricing tier Free)" if some id in fail
