# METADATA
# title: "Defender for Servers agentless scanning for machines is off"
# description: "The subscription's Defender for Servers plan does not have its AgentlessVmScanning extension enabled (or the plan is Free): virtual machines' disks are not scanned for vulnerabilities, secrets and malware without an agent, so machines without the agent go unassessed. Known when the plan's pricing row lists its extensions."
# scope: package
# custom:
#   id: azure-defender-agentless-scanning-disabled
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.defender.servers_agentless_scanning]
#   remediation: "Turn on Agentless scanning for machines in Microsoft Defender for Cloud > Environment settings > the subscription > Defender plans > Servers > Settings (az security pricing create -n VirtualMachines --tier standard --extensions name=AgentlessVmScanning isEnabled=True)."
#   frameworks:
#     cis-azure-6.0: ["8.1.3.4"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["11.3"]
#     nist-800-53-r5: ["RA-5"]
#     nist-csf-2.0: ["ID.RA-01"]
package vigil.rules.azure_defender_agentless_scanning_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.defender.servers_agentless_scanning == false
}

message[id] := "agentless scanning for machines is off" if some id in fail
