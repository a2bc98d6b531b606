# METADATA
# title: "Dataproc cluster is not encrypted with a customer-managed key"
# description: "The cluster's encryption configuration names no Cloud KMS key (config.encryptionConfig gcePdKmsKeyName or kmsKey): its persistent disks and job data are protected by Google-managed keys only."
# scope: package
# custom:
#   id: gcp-dataproc-no-cmek
#   severity: LOW
#   category: encryption
#   class: data_warehouse
#   providers: [gcp]
#   applies_to:
#     type: [dataproc.googleapis.com/Cluster]
#   requires: [facts.database.key_manager]
#   remediation: "Recreate the cluster with a Cloud KMS key (gcloud dataproc clusters create CLUSTER --gce-pd-kms-key=KEY --kms-key=KEY ...); the encryption of an existing cluster cannot be changed."
#   frameworks:
#     cis-gcp-5.0: ["8.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
package vigil.rules.gcp_dataproc_no_cmek

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "dataproc.googleapis.com/Cluster"
	r.facts.database.key_manager == "provider"
}
