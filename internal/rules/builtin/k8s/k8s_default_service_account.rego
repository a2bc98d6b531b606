# METADATA
# title: "Pod runs as the default service account with its token mounted"
# description: "The pod uses the namespace's default service account and has its token mounted; CIS Kubernetes 5.1.5 asks that default service accounts are not used, so that permissions granted to one application do not reach all."
# scope: package
# custom:
#   id: k8s-default-service-account
#   severity: LOW
#   category: identity
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.service_account, facts.workload.automount_service_account_token]
#   remediation: "Create a service account per application and set spec.serviceAccountName, or set automountServiceAccountToken: false."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.5"]
#     nist-800-53-r5: ["AC-2", "AC-6"]
package vigil.rules.k8s_default_service_account

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.service_account == "default"
	r.facts.workload.automount_service_account_token == true
}

message[id] := "the pod runs as the default service account with its token mounted" if some id in fail
