# METADATA
# title: "Container may run as root"
# description: "Pod Security Standards restricted control \"Running as Non-root\": neither the container nor the pod sets runAsNonRoot to true, so the container runs as root whenever its image says so."
# scope: package
# custom:
#   id: k8s-run-as-non-root
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.run_as_non_root_unset]
#   remediation: "Set securityContext.runAsNonRoot: true on the pod (or each container) and run the image as a non-zero user."
#   frameworks:
#     pss-restricted: ["Running as Non-root"]
#     cis-kubernetes-1.10: ["5.2.7"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_run_as_non_root

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.run_as_non_root_unset) > 0
}

message[r.id] := sprintf("containers without runAsNonRoot: %s", [concat(", ", r.facts.workload.run_as_non_root_unset)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
