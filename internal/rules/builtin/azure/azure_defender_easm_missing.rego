# METADATA
# title: "No Microsoft Defender External Attack Surface Management workspace"
# description: "The input holds no Microsoft Defender EASM workspace (Microsoft.Easm/workspaces) in any subscription, so nothing discovers and watches the organization's internet-facing assets (domains, hosts, IP ranges, certificates, exposed services) from outside, the way an attacker maps them (CIS Azure 6.0 8.1.16, Manual). One workspace covers the organization, whichever subscription holds it: every subscription of the input passes when one exists. Known when the input holds the subscription's resources table."
# scope: package
# custom:
#   id: azure-defender-easm-missing
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.easm]
#   remediation: "Create a Defender EASM workspace (Azure portal: Microsoft Defender EASM > Create; or az resource create --resource-type Microsoft.Easm/workspaces ...), seed its discovery with the organization's domains, IP blocks and hosts, and review its inventory and insights."
#   frameworks:
#     cis-azure-6.0: ["8.1.16"]
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.5.9", "A.8.8"]
#     nist-800-53-r5: ["CM-8", "RA-5"]
#     nist-csf-2.0: ["ID.AM-01", "ID.RA-01"]
package vigil.rules.azure_defender_easm_missing

fail contains r.id if {
	some r in input.resources.account
	r.provider == "azure"
	r.facts.account.cis.easm == false
}

message[r.id] := "no Microsoft Defender EASM workspace in any subscription of the input: the organization's internet-facing assets are not discovered from outside" if {
	some r in input.resources.account
	r.id in fail
}
