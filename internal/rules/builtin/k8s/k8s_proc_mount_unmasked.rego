# METADATA
# title: "Unmasked /proc mount"
# description: "Pod Security Standards baseline control \"/proc Mount Type\": a container sets procMount to Unmasked, exposing the node's /proc paths the runtime normally masks."
# scope: package
# custom:
#   id: k8s-proc-mount-unmasked
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.unmasked_proc_mount]
#   remediation: "Remove securityContext.procMount or set it to Default."
#   frameworks:
#     pss-baseline: ["/proc Mount Type"]
#     nist-800-53-r5: ["SC-39", "CM-6"]
package vigil.rules.k8s_proc_mount_unmasked

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.unmasked_proc_mount) > 0
}

message[r.id] := sprintf("containers with an unmasked /proc: %s", [concat(", ", r.facts.workload.unmasked_proc_mount)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
