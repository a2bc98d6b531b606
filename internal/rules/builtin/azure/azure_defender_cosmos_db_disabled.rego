# METADATA
# title: "Microsoft Defender for Azure Cosmos DB is not enabled for the subscription"
# description: "The subscription's Defender for Azure Cosmos DB plan (Microsoft.Security/pricings/CosmosDbs) is on the Free tier: Cosmos DB accounts get no detection of injection attacks or anomalous access."
# scope: package
# custom:
#   id: azure-defender-cosmos-db-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.cosmos_db]
#   remediation: "Turn the Defender for Azure Cosmos DB plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n CosmosDbs --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.7.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_cosmos_db_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.cosmos_db == false
}

message[id] := "Defender for Azure Cosmos DB is Off (pricing tier Free)" if some id in fail
