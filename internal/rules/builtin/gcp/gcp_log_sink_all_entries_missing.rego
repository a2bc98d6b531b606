# METADATA
# title: "No log sink exports every log entry"
# description: "No log sink of the project, nor an aggregated sink (includeChildren) of a folder or organization above it, exports all log entries (an enabled sink with an empty filter): logs are kept only as long as Cloud Logging's buckets keep them. Known when the export holds the project's log sinks."
# scope: package
# custom:
#   id: gcp-log-sink-all-entries-missing
#   severity: LOW
#   category: logging
#   class: account
#   providers: [gcp]
#   requires: [facts.account.cis.log_sink_all_entries]
#   remediation: "Create a sink without a filter to a Cloud Storage bucket, BigQuery dataset or Pub/Sub topic (gcloud logging sinks create all-entries DESTINATION), or an aggregated one on the organization (--organization ORG --include-children)."
#   frameworks:
#     cis-gcp-5.0: ["2.3"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.5.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-4", "AU-9"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_log_sink_all_entries_missing

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.log_sink_all_entries == false
}

message[id] := "no log sink exports every log entry" if some id in fail
