# METADATA
# title: "Microsoft Defender for Resource Manager is not enabled for the subscription"
# description: "The subscription's Defender for Resource Manager plan (Microsoft.Security/pricings/Arm) is on the Free tier: management operations through Azure Resource Manager are not monitored for suspicious activity."
# scope: package
# custom:
#   id: azure-defender-resource-manager-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.resource_manager]
#   remediation: "Turn the Defender for Resource Manager plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n Arm --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.9.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_resource_manager_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.resource_manager == false
}

message[id] := "Defender for Resource Manager is Off (pricing tier Free)" if some id in fail
