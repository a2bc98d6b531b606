# METADATA
# title: "Microsoft Defender for Servers is not enabled for the subscription"
# description: "The subscription's Defender for Servers plan (Microsoft.Security/pricings/VirtualMachines) is on the Free tier: virtual machines get no threat detection, vulnerability assessment or endpoint protection integration."
# scope: package
# custom:
#   id: azure-defender-servers-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.servers]
#   remediation: "Turn the Defender for Servers plan On in Microsoft Defender for Cloud > Environment settings (az security pricing create -n VirtualMachines --tier standard)."
#   frameworks:
#     cis-azure-6.0: ["8.1.3.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5.1"]
#     hipaa: ["164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["SI-4"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-09", "DE.AE-02"]
package vigil.rules.azure_defender_servers_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.servers == false
}

message[id] := "Defender for Servers is Off (pricing tier Free)" if some id in fail
