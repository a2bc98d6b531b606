# METADATA
# title: "BigQuery table is not encrypted with a customer-managed key"
# description: "The table's encryptionConfiguration names no Cloud KMS key, so its data is encrypted with Google-managed keys the organization cannot rotate, disable or destroy. Views and external tables hold no data and are not judged."
# scope: package
# custom:
#   id: gcp-bigquery-table-no-cmek
#   severity: LOW
#   category: encryption
#   class: data_warehouse
#   providers: [gcp]
#   applies_to:
#     type: [bigquery.googleapis.com/Table]
#   requires: [facts.database.key_manager]
#   remediation: "Copy the table to one encrypted with a Cloud KMS key (bq cp --destination_kms_key=projects/P/locations/L/keyRings/R/cryptoKeys/K SRC DST) or update its key (bq update --destination_kms_key=... TABLE), and set a default key on the dataset for new tables."
#   frameworks:
#     cis-gcp-5.0: ["7.2"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.gcp_bigquery_table_no_cmek

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "bigquery.googleapis.com/Table"
	r.facts.database.key_manager == "provider"
}

message[id] := "encrypted with a Google-managed key (no Cloud KMS key)" if some id in fail
