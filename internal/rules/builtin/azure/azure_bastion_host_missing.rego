# METADATA
# title: "Subscription has no Azure Bastion host"
# description: "The subscription holds no Microsoft.Network/bastionHosts resource, so remote administration of its VMs goes through public IPs or other jump hosts rather than Bastion's TLS-brokered RDP/SSH. Known when the input holds the subscription's resources table."
# scope: package
# custom:
#   id: azure-bastion-host-missing
#   severity: LOW
#   category: network
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.bastion_host]
#   remediation: "Deploy an Azure Bastion host in the VNets whose VMs are administered (az network bastion create ...), and remove public IPs used for RDP/SSH."
#   frameworks:
#     cis-azure-6.0: ["8.4.1"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     nist-800-53-r5: ["AC-17"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_bastion_host_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.bastion_host == false
}
