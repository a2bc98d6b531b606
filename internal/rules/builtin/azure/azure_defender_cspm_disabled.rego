# METADATA
# title: "Microsoft Defender CSPM is not enabled for the subscription"
# description: "The subscription's Defender CSPM plan (Microsoft.Security/pricings/CloudPosture) is on the Free tier: Defender Cloud Security Posture Management (attack paths, agentless scanning, data-aware posture) is not enabled."
# scope: package
# custom:
#   id: azure-defender-cspm-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.cspm]
#   remediation: "Turn the Defender CSPM plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n CloudPosture --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.1.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_cspm_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.cspm == false
}

message[id] := "Defender CSPM is Off (pricing tier Free)" if some id in fail
