# METADATA
# title: "Network Watcher is not enabled in every region in use"
# description: "A region holding resources of the subscription has no network watcher, so flow logs, connection troubleshooting and topology are unavailable for its networks."
# scope: package
# custom:
#   id: azure-network-watcher-missing-region
#   severity: LOW
#   category: monitoring
#   class: account
#   providers: [azure]
#   requires: [facts.account.network_watcher_every_region]
#   remediation: "Enable Network Watcher in every region the subscription uses (az network watcher configure --locations <region> --enabled true -g NetworkWatcherRG)."
#   frameworks:
#     cis-azure-6.0: ["7.6"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.16"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["SI-4", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["DE.CM-01"]
package vigil.rules.azure_network_watcher_missing_region

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.network_watcher_every_region == false
}

message[r.id] := sprintf("no network watcher in %s", [concat(", ", r.facts.account.network_watcher_missing)]) if {
	some r in input.resources.account
	r.id in fail
}
