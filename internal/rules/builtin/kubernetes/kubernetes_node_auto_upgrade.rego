# METADATA
# title: "Kubernetes node auto-upgrade is disabled"
# description: "The AKS cluster has no upgrade channel (nor node OS upgrade channel), or a GKE node pool has auto-upgrade off, so nodes keep running Kubernetes and OS versions with known vulnerabilities until someone upgrades them by hand."
# scope: package
# custom:
#   id: kubernetes-node-auto-upgrade
#   severity: LOW
#   category: resilience
#   class: kubernetes_cluster
#   providers: [azure, gcp]
#   requires: [facts.kubernetes.node_auto_upgrade]
#   remediation: "Set an AKS auto-upgrade channel (patch or stable) and nodeOSUpgradeChannel NodeImage or SecurityPatch with a maintenance window; enable auto-upgrade on every GKE node pool (or use a release channel)."
#   frameworks:
#     soc2: ["CC7.1"]
#     iso27001-2022: ["A.8.8"]
#     pci-dss-4.0: ["6.3.3"]
#     nist-800-53-r5: ["SI-2", "SA-22"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-02"]
package vigil.rules.kubernetes_node_auto_upgrade

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.node_auto_upgrade == false
}

message[id] := "nodes are not upgraded automatically" if some id in fail
