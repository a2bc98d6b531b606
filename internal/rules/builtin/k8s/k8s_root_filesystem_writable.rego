# METADATA
# title: "Container root filesystem is writable"
# description: "A container does not set readOnlyRootFilesystem to true, so an attacker who gets in can change its binaries and configuration."
# scope: package
# custom:
#   id: k8s-root-filesystem-writable
#   severity: LOW
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.writable_root_filesystem]
#   remediation: "Set securityContext.readOnlyRootFilesystem: true and mount emptyDir volumes where the process writes."
#   frameworks:
#     cis-kubernetes-1.10: ["5.7.3"]
#     nist-800-53-r5: ["CM-5", "SI-7"]
package vigil.rules.k8s_root_filesystem_writable

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.writable_root_filesystem) > 0
}

message[r.id] := sprintf("containers with a writable root filesystem: %s", [concat(", ", r.facts.workload.writable_root_filesystem)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
