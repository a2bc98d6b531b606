# METADATA
# title: "Privileged container"
# description: "Pod Security Standards baseline control \"Privileged Containers\": a privileged container has every capability and the node's devices, and can take over the node."
# scope: package
# custom:
#   id: k8s-privileged-container
#   severity: CRITICAL
#   category: exposure
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.privileged]
#   remediation: "Remove securityContext.privileged or set it to false; grant only the specific capabilities the container needs."
#   frameworks:
#     pss-baseline: ["Privileged Containers"]
#     cis-kubernetes-1.10: ["5.2.2"]
#     nist-800-53-r5: ["AC-6", "CM-7"]
package vigil.rules.k8s_privileged_container

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	count(r.facts.workload.privileged) > 0
}

message[r.id] := sprintf("privileged containers: %s", [concat(", ", r.facts.workload.privileged)]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
