# METADATA
# title: "Container runs with a UID of 10000 or less"
# description: "Neither the container nor the pod sets runAsUser above 10000: a low UID may be the UID of a user of the node, so a process that escapes the container acts as that user."
# scope: package
# custom:
#   id: k8s-run-as-low-uid
#   severity: LOW
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.low_uid]
#   remediation: "Set securityContext.runAsUser to an ID above 10000 (and runAsNonRoot: true)."
#   frameworks:
#     nist-800-53-r5: ["AC-6"]
package vigil.rules.k8s_run_as_low_uid

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.low_uid) > 0
}

message[r.id] := sprintf("containers with a UID of 10000 or less: %s", [concat(", ", r.facts.workload.low_uid)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
