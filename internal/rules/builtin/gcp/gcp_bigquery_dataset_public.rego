# METADATA
# title: "BigQuery dataset is publicly accessible"
# description: "An access entry of the dataset grants a role to allUsers or allAuthenticatedUsers, so anyone on the internet, or anyone with a Google account, can read (or change) its tables."
# scope: package
# custom:
#   id: gcp-bigquery-dataset-public
#   severity: CRITICAL
#   category: exposure
#   class: data_warehouse
#   providers: [gcp]
#   applies_to:
#     type: [bigquery.googleapis.com/Dataset]
#   requires: [facts.database.public_access]
#   remediation: "Remove the dataset's access entries for allUsers and allAuthenticatedUsers (bq show --format=prettyjson DATASET > d.json, edit access, bq update --source d.json DATASET)."
#   frameworks:
#     cis-gcp-5.0: ["7.1"]
#     soc2: ["CC6.1", "CC6.6"]
#     iso27001-2022: ["A.5.15", "A.8.3"]
#     pci-dss-4.0: ["1.4.1", "7.2.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.gcp_bigquery_dataset_public

fail contains r.id if {
	some r in input.resources.data_warehouse
	r.type == "bigquery.googleapis.com/Dataset"
	r.facts.database.public_access == true
}

message[id] := "an access entry grants allUsers or allAuthenticatedUsers a role on the dataset" if some id in fail
