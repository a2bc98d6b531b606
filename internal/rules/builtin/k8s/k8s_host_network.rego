# METADATA
# title: "Pod shares the host network namespace"
# description: "Pod Security Standards baseline control \"Host Namespaces\": hostNetwork true gives the pod the node's network stack, so it can sniff node traffic and reach services bound to localhost."
# scope: package
# custom:
#   id: k8s-host-network
#   severity: HIGH
#   category: network
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_network]
#   remediation: "Remove spec.hostNetwork or set it to false."
#   frameworks:
#     pss-baseline: ["Host Namespaces"]
#     cis-kubernetes-1.10: ["5.2.5"]
#     nist-800-53-r5: ["SC-7", "SC-39"]
package vigil.rules.k8s_host_network

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.host_network == true
}

message[id] := "the pod uses the host network namespace (hostNetwork: true)" if some id in fail
