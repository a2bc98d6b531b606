# METADATA
# title: "Pod mounts a hostPath volume"
# description: "Pod Security Standards baseline control \"HostPath Volumes\": a hostPath volume exposes a directory of the node to the pod, from which a container can read node secrets or escape to the node."
# scope: package
# custom:
#   id: k8s-host-path-volume
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.host_paths]
#   remediation: "Replace hostPath volumes with emptyDir, configMap, secret, projected or persistentVolumeClaim volumes."
#   frameworks:
#     pss-baseline: ["HostPath Volumes"]
#     cis-kubernetes-1.10: ["5.2.12"]
#     nist-800-53-r5: ["AC-6", "SC-39"]
package vigil.rules.k8s_host_path_volume

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.host_paths) > 0
}

message[r.id] := sprintf("hostPath volumes: %s", [concat(", ", r.facts.workload.host_paths)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
