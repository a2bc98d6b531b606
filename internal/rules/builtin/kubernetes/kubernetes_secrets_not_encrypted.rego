# METADATA
# title: "Kubernetes secrets are not envelope-encrypted with a KMS key"
# description: "The cluster does not encrypt Kubernetes Secrets in etcd with a customer-managed KMS key (EKS secrets encryption, AKS Key Vault KMS, GKE application-layer secrets encryption), so anyone reading the etcd storage or its backups reads the secrets."
# scope: package
# custom:
#   id: kubernetes-secrets-not-encrypted
#   severity: MEDIUM
#   category: encryption
#   class: kubernetes_cluster
#   providers: [aws, azure, gcp]
#   requires: [facts.kubernetes.secrets_encrypted]
#   remediation: "Enable envelope encryption of secrets with a KMS key: EKS encryptionConfig for secrets, AKS azureKeyVaultKms, GKE databaseEncryption state ENCRYPTED with a Cloud KMS key; then rewrite existing secrets."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.kubernetes_secrets_not_encrypted

fail contains r.id if {
	some r in input.resources.kubernetes_cluster
	r.facts.kubernetes.secrets_encrypted == false
}

message[id] := "secrets in etcd are not encrypted with a KMS key" if some id in fail
