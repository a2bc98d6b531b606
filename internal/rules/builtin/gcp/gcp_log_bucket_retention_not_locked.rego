# METADATA
# title: "Cloud Storage bucket receiving exported logs has no locked retention policy"
# description: "A log sink writes to the bucket, but the bucket has no retention policy or has one that is not locked (Bucket Lock): anyone with storage admin rights on the bucket can delete or shorten the exported logs, and with them the evidence of what happened. Buckets no sink writes to are not judged; known when the export holds the log sinks."
# scope: package
# custom:
#   id: gcp-log-bucket-retention-not-locked
#   severity: MEDIUM
#   category: logging
#   class: object_storage
#   providers: [gcp]
#   applies_to:
#     type: [storage.googleapis.com/Bucket]
#     facts.storage.log_sink_destination: [true, null]
#   requires: [facts.storage.log_sink_destination, facts.storage.retention_locked]
#   remediation: "Set a retention policy on the bucket and lock it once its period is right (gcloud storage buckets update gs://BUCKET --retention-period=365d, then --lock-retention-period): a locked policy cannot be shortened or removed."
#   frameworks:
#     cis-gcp-5.0: ["2.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.3.2"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-9", "AU-11"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_log_bucket_retention_not_locked

fail contains r.id if {
	some r in input.resources.object_storage
	r.type == "storage.googleapis.com/Bucket"
	r.facts.storage.log_sink_destination == true
	r.facts.storage.retention_locked == false
}

message[id] := "a log sink exports to this bucket, whose retention policy is missing or not locked" if some id in fail
