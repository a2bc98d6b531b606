# METADATA
# title: "Kubernetes control plane logging is disabled"
# description: "The cluster does not send its control plane logs (EKS api/audit/authenticator log types, AKS diagnostic settings, GKE system component logging) to the cloud's log service, so API server errors, authentication failures and abuse go unrecorded."
# scope: package
# custom:
#   id: kubernetes-control-plane-logging
#   severity: MEDIUM
#   category: logging
#   class: kubernetes_cluster
#   providers: [aws, azure, gcp]
#   requires: [facts.kubernetes.control_plane_logging]
#   remediation: "Enable control plane logging: EKS logging.clusterLogging api, audit, authenticator, controllerManager, scheduler; an AKS diagnostic setting with the kube-apiserver and kube-audit categories; GKE loggingConfig with SYSTEM_COMPONENTS and APISERVER."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.kubernetes_control_plane_logging

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.control_plane_logging == false
}

message[id] := "control plane logs are not collected" if some id in fail
