# METADATA
# title: "Container has no CPU request"
# description: "A container sets no resources.requests.cpu: without a request the scheduler cannot place the pod by its needs, and it is evicted first under pressure."
# scope: package
# custom:
#   id: k8s-cpu-request-missing
#   severity: LOW
#   category: resilience
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.no_cpu_request]
#   remediation: "Set resources.requests.cpu on every container (a LimitRange can set defaults per namespace)."
#   frameworks:
#     nist-800-53-r5: ["SC-6", "CM-6"]
package vigil.rules.k8s_cpu_request_missing

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.no_cpu_request) > 0
}

message[r.id] := sprintf("containers without a CPU request: %s", [concat(", ", r.facts.workload.no_cpu_request)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
