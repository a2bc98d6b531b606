# METADATA
# title: "Workload in a system namespace"
# description: "The workload is placed in kube-system or kube-public, next to the cluster's own components and their service accounts."
# scope: package
# custom:
#   id: k8s-system-namespace-workload
#   severity: MEDIUM
#   category: identity
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.namespace]
#   remediation: "Deploy application workloads to their own namespaces."
#   frameworks:
#     nist-800-53-r5: ["AC-6", "SC-7"]
package vigil.rules.k8s_system_namespace_workload

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.namespace in {"kube-system", "kube-public"}
}

message[r.id] := sprintf("the workload is in %s", [r.facts.workload.namespace]) if {
	some r in input.resources.kubernetes_workload
	r.id in fail
}
