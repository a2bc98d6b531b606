# METADATA
# title: "Container has no liveness probe"
# description: "A container has no livenessProbe, so a hung process is never restarted."
# scope: package
# custom:
#   id: k8s-liveness-probe-missing
#   severity: LOW
#   category: resilience
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.no_liveness_probe]
#   remediation: "Add a livenessProbe to the container."
#   frameworks:
#     nist-800-53-r5: ["SI-13"]
package vigil.rules.k8s_liveness_probe_missing

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.no_liveness_probe) > 0
}

message[r.id] := sprintf("containers without a liveness probe: %s", [concat(", ", r.facts.workload.no_liveness_probe)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
