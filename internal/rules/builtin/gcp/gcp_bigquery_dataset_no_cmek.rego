# METADATA
# title: "BigQuery dataset has no default customer-managed encryption key"
# description: "The dataset's defaultEncryptionConfiguration names no Cloud KMS key, so its new tables are encrypted with Google-managed keys the organization cannot rotate, disable or destroy."
# scope: package
# custom:
#   id: gcp-bigquery-dataset-no-cmek
#   severity: LOW
#   category: encryption
#   class: data_warehouse
#   providers: [gcp]
#   applies_to:
#     type: [bigquery.googleapis.com/Dataset]
#   requires: [facts.database.key_manager]
#   remediation: "Set a default Cloud KMS key on the dataset (bq update --default_kms_key=projects/P/locations/L/keyRings/R/cryptoKeys/K DATASET)."
#   frameworks:
#     cis-gcp-5.0: ["7.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.gcp_bigquery_dataset_no_cmek

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "bigquery.googleapis.com/Dataset"
	r.facts.database.key_manager == "provider"
}

message[id] := "no default customer-managed encryption key is set on the dataset" if some id in fail
