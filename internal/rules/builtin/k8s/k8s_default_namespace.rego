# METADATA
# title: "Workload in the default namespace"
# description: "The workload is placed in the default namespace; CIS Kubernetes 5.7.4 asks for namespaces per application so that RBAC, network policies and quotas can separate them."
# scope: package
# custom:
#   id: k8s-default-namespace
#   severity: LOW
#   category: network
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.namespace]
#   remediation: "Create a namespace for the application and set metadata.namespace."
#   frameworks:
#     cis-kubernetes-1.10: ["5.7.4"]
#     nist-800-53-r5: ["AC-4", "SC-7"]
package vigil.rules.k8s_default_namespace

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.namespace == "default"
}

message[id] := "the workload is in the default namespace" if some id in fail
