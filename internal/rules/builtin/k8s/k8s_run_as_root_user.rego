# METADATA
# title: "Container runs as user 0"
# description: "Pod Security Standards restricted control \"Running as Non-root user\": the container (or the pod) sets runAsUser to 0, running its processes as root."
# scope: package
# custom:
#   id: k8s-run-as-root-user
#   severity: HIGH
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.run_as_root_user]
#   remediation: "Set runAsUser to a non-zero UID (and runAsNonRoot: true)."
#   frameworks:
#     pss-restricted: ["Running as Non-root user"]
#     cis-kubernetes-1.10: ["5.2.7"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_run_as_root_user

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.run_as_root_user) > 0
}

message[r.id] := sprintf("containers running as UID 0: %s", [concat(", ", r.facts.workload.run_as_root_user)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
