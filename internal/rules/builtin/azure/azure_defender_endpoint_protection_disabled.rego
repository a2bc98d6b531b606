# METADATA
# title: "Defender for Servers endpoint protection is off"
# description: "The subscription's Microsoft Defender for Endpoint integration (the Defender for Cloud setting WDATP, the Endpoint protection component of Defender for Servers) is disabled, or the Defender for Servers plan is Free: the machines get no endpoint detection and response from Defender for Cloud. Known when the input holds the subscription's Microsoft.Security/settings list (vigil collect writes securitysettings.json; az security setting list) or its Servers plan is Free."
# scope: package
# custom:
#   id: azure-defender-endpoint-protection-disabled
#   severity: MEDIUM
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.servers_endpoint_protection]
#   remediation: "Turn on Endpoint protection in Microsoft Defender for Cloud > Environment settings > the subscription > Defender plans > Servers > Settings, on a Defender for Servers plan (az security setting update -n WDATP --data-export-settings enabled=true)."
#   frameworks:
#     cis-azure-6.0: ["8.1.3.3"]
#     soc2: ["CC6.8"]
#     iso27001-2022: ["A.8.7"]
#     pci-dss-4.0: ["5.2"]
#     nist-800-53-r5: ["SI-3"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.azure_defender_endpoint_protection_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.servers_endpoint_protection == false
}

message[id] := "endpoint protection (Microsoft Defender for Endpoint integration, WDATP) is off" if some id in fail
