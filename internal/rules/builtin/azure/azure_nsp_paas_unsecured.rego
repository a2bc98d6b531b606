# METADATA
# title: "PaaS resources not secured by a network security perimeter"
# description: "A PaaS resource of the subscription of a type onboarded to Azure network security perimeters (storage accounts, key vaults, SQL servers, Cosmos DB accounts, Event Hubs namespaces, Log Analytics workspaces, AI Search services, Azure AI services) is not associated with a perimeter in Enforced access mode (Learning and Audit modes only log): its public endpoint is governed by its own firewall alone, and data can leave to any network it allows (CIS Azure 6.0 7.16). Read from the perimeters (Microsoft.Network/networkSecurityPerimeters rows of the resources table) and their resource associations, which Resource Graph does not carry: vigil collect writes them per subscription as nspassociations.json, even empty (or save the value lists of GET <perimeter>/resourceAssociations?api-version=2024-07-01 under that name in a directory named after the subscription). A perimeter may associate resources of other subscriptions: every perimeter of the input counts. UNKNOWN when a perimeter's associations are not in the input, or when the input holds neither the subscription's listing nor any perimeter; a subscription without such resources is not judged."
# scope: package
# custom:
#   id: azure-nsp-paas-unsecured
#   severity: LOW
#   category: network
#   class: account
#   providers: [azure]
#   requires: [facts.account.cis.nsp_secured]
#   remediation: "Create a network security perimeter with a profile whose inbound and outbound access rules allow only the networks, subscriptions and FQDNs the workloads need, associate the PaaS resources with it, and move each association from Learning to Enforced mode once the access logs show nothing legitimate is denied (az network perimeter association create --access-mode Enforced)."
#   frameworks:
#     cis-azure-6.0: ["7.16"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.22"]
#     nist-800-53-r5: ["SC-7"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.azure_nsp_paas_unsecured

fail contains r.id if {
	some r in input.resources.account
	r.provider == "azure"
	r.facts.account.cis.nsp_secured == false
}

message[r.id] := sprintf("%d PaaS resources are not in a network security perimeter in Enforced mode: %s", [count(r.facts.account.cis.nsp_unsecured), concat(", ", r.facts.account.cis.nsp_unsecured)]) if {
	some r in input.resources.account
	r.id in fail
}
