# METADATA
# title: "Windows HostProcess container"
# description: "Pod Security Standards baseline control \"HostProcess\": the pod runs Windows containers with windowsOptions.hostProcess true, which have privileged access to the Windows node."
# scope: package
# custom:
#   id: k8s-host-process
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_process]
#   remediation: "Remove securityContext.windowsOptions.hostProcess (or set it to false) from the pod and its containers."
#   frameworks:
#     pss-baseline: ["HostProcess"]
#     cis-kubernetes-1.10: ["5.2.11"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_host_process

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.host_process) > 0
}

message[r.id] := sprintf("HostProcess containers: %s", [concat(", ", r.facts.workload.host_process)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
