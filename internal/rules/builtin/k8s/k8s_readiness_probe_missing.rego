# METADATA
# title: "Container has no readiness probe"
# description: "A container has no readinessProbe, so it receives traffic before it can serve it and while it cannot."
# scope: package
# custom:
#   id: k8s-readiness-probe-missing
#   severity: LOW
#   category: resilience
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.no_readiness_probe]
#   remediation: "Add a readinessProbe to the container."
#   frameworks:
#     nist-800-53-r5: ["SI-13"]
package vigil.rules.k8s_readiness_probe_missing

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.no_readiness_probe) > 0
}

message[r.id] := sprintf("containers without a readiness probe: %s", [concat(", ", r.facts.workload.no_readiness_probe)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
