# METADATA
# title: "Container runs with a GID of 10000 or less"
# description: "Neither the container nor the pod sets runAsGroup above 10000: a low GID may be the group of users or files of the node."
# scope: package
# custom:
#   id: k8s-run-as-low-gid
#   severity: LOW
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.low_gid]
#   remediation: "Set securityContext.runAsGroup to an ID above 10000."
#   frameworks:
#     nist-800-53-r5: ["AC-6"]
package vigil.rules.k8s_run_as_low_gid

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.low_gid) > 0
}

message[r.id] := sprintf("containers with a GID of 10000 or less: %s", [concat(", ", r.facts.workload.low_gid)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
