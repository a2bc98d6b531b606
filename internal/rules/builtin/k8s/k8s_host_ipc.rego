# METADATA
# title: "Pod shares the host IPC namespace"
# description: "Pod Security Standards baseline control \"Host Namespaces\": hostIPC true lets the pod's containers read and write the node's shared memory and IPC objects."
# scope: package
# custom:
#   id: k8s-host-ipc
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_ipc]
#   remediation: "Remove spec.hostIPC or set it to false."
#   frameworks:
#     pss-baseline: ["Host Namespaces"]
#     cis-kubernetes-1.10: ["5.2.4"]
#     nist-800-53-r5: ["SC-39", "AC-6"]
package vigil.rules.k8s_host_ipc

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.host_ipc == true
}

message[id] := "the pod uses the host IPC namespace (hostIPC: true)" if some id in fail
