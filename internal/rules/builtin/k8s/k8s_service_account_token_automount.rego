# METADATA
# title: "Service account token mounted automatically"
# description: "The pod does not set automountServiceAccountToken to false, so its service account token is mounted in every container; CIS Kubernetes 5.1.6 asks to mount it only where the pod calls the API."
# scope: package
# custom:
#   id: k8s-service-account-token-automount
#   severity: LOW
#   category: identity
#   class: kubernetes_workload
#   providers: [kubernetes]
#   requires: [facts.workload.automount_service_account_token]
#   remediation: "Set spec.automountServiceAccountToken: false on pods that do not call the Kubernetes API (or on their service account)."
#   frameworks:
#     cis-kubernetes-1.10: ["5.1.6"]
#     nist-800-53-r5: ["AC-6", "IA-5"]
package vigil.rules.k8s_service_account_token_automount

fail contains r.id if {
	some r in input.resources.kubernetes_workload
	r.facts.workload.automount_service_account_token == true
}

message[id] := "the service account token is mounted automatically" if some id in fail
