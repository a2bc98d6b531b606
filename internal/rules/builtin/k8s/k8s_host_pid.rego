# METADATA
# title: "Pod shares the host process ID namespace"
# description: "Pod Security Standards baseline control \"Host Namespaces\": hostPID true lets the pod's containers see and signal every process of the node."
# scope: package
# custom:
#   id: k8s-host-pid
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_pid]
#   remediation: "Remove spec.hostPID or set it to false."
#   frameworks:
#     pss-baseline: ["Host Namespaces"]
#     cis-kubernetes-1.10: ["5.2.3"]
#     nist-800-53-r5: ["SC-39", "AC-6"]
package vigil.rules.k8s_host_pid

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.host_pid == true
}

message[id] := "the pod uses the host PID namespace (hostPID: true)" if some id in fail
