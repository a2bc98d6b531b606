# METADATA
# title: "Kubernetes API server audit log is not collected"
# description: "The EKS audit log type is not enabled, or no AKS diagnostic setting collects kube-audit, so there is no record of who did what through the Kubernetes API. (GKE writes Kubernetes admin activity to Cloud Audit Logs always.)"
# scope: package
# custom:
#   id: kubernetes-audit-logging
#   severity: MEDIUM
#   category: logging
#   class: kubernetes_cluster
#   providers: [aws, azure]
#   requires: [facts.kubernetes.audit_logging]
#   remediation: "Enable the audit log type (EKS) or a diagnostic setting with the kube-audit or kube-audit-admin category (AKS), sent to a retained log destination."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.kubernetes_audit_logging

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.audit_logging == false
}

message[id] := "API server audit log is not collected" if some id in fail
