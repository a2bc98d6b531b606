# METADATA
# title: "Defender for Servers file integrity monitoring is off"
# description: "The subscription's Defender for Servers plan does not have its FileIntegrityMonitoring extension enabled (or the plan is Free): changes to operating system files, registry keys and application files on the machines, a common trace of an attack, are not tracked. Known when the plan's pricing row lists its extensions."
# scope: package
# custom:
#   id: azure-defender-fim-disabled
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.servers_fim]
#   remediation: "Turn on File Integrity Monitoring in Microsoft Defender for Cloud > Environment settings > the subscription > Defender plans > Servers > Settings, with a Log Analytics workspace for its data (Defender for Servers Plan 2)."
#   frameworks:
#     cis-azure-6.0: ["8.1.3.5"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["11.5"]
#     nist-800-53-r5: ["SI-7"]
#     nist-csf-2.0: ["DE.CM-09"]
package vigil.rules.azure_defender_fim_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.servers_fim == false
}

message[id] := "file integrity monitoring is off" if some id in fail
