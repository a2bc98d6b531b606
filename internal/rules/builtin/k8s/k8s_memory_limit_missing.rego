# METADATA
# title: "Container has no memory limit"
# description: "A container sets no resources.limits.memory: without a limit one container can starve the others of the node."
# scope: package
# custom:
#   id: k8s-memory-limit-missing
#   severity: LOW
#   category: resilience
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.no_memory_limit]
#   remediation: "Set resources.limits.memory on every container (a LimitRange can set defaults per namespace)."
#   frameworks:
#     nist-800-53-r5: ["SC-6", "CM-6"]
package vigil.rules.k8s_memory_limit_missing

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.no_memory_limit) > 0
}

message[r.id] := sprintf("containers without a memory limit: %s", [concat(", ", r.facts.workload.no_memory_limit)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
