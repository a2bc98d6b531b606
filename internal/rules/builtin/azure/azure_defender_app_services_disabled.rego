# METADATA
# title: "Microsoft Defender for App Service is not enabled for the subscription"
# description: "The subscription's Defender for App Service plan (Microsoft.Security/pricings/AppServices) is on the Free tier: App Service apps get no threat detection."
# scope: package
# custom:
#   id: azure-defender-app-services-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.app_services]
#   remediation: "Turn the Defender for App Service plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n AppServices --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.6.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_app_services_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.app_services == false
}

message[id] := "Defender for App Service is Off (pricing tier Free)" if some id in fail
