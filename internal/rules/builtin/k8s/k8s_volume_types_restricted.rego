# METADATA
# title: "Pod uses a volume type the restricted profile forbids"
# description: "Pod Security Standards restricted control \"Volume Types\": the pod uses a volume type other than configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret."
# scope: package
# custom:
#   id: k8s-volume-types-restricted
#   severity: MEDIUM
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.volume_types]
#   remediation: "Use persistentVolumeClaim (or one of the allowed types) instead of the volume's direct source."
#   frameworks:
#     pss-restricted: ["Volume Types"]
#     nist-800-53-r5: ["CM-7", "AC-6"]
package vigil.rules.k8s_volume_types_restricted

allowed := {"configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"}

other(r) := [t | some t in r.facts.workload.volume_types; not t in allowed]

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(other(r)) > 0
}

message[r.id] := sprintf("volume types outside the restricted set: %s", [concat(", ", other(r))]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
