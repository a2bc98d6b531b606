# METADATA
# title: "No CloudTrail trail logs S3 object-level read events"
# description: "The trail's event selectors do not log S3 data events of type read for every bucket (AWS::S3::Object on arn:aws:s3, ReadOnly or All), and no other trail of the account does: which objects are read (GetObject) and by whom is not recorded."
# scope: package
# custom:
#   id: aws-cloudtrail-s3-read-events-not-logged
#   severity: MEDIUM
#   category: logging
#   class: audit_log
#   providers: [aws]
#   applies_to:
#     type: [AWS::CloudTrail::Trail]
#   requires: [facts.audit_log.s3_read_events]
#   remediation: "Add an event selector for S3 data events of all buckets to a multi-region trail (aws cloudtrail put-event-selectors --trail-name TRAIL --event-selectors '[{\"ReadWriteType\": \"ReadOnly\", \"DataResources\": [{\"Type\": \"AWS::S3::Object\", \"Values\": [\"arn:aws:s3\"]}]}]')."
#   frameworks:
#     cis-aws-7.0: ["4.9"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-09"]
package vigil.rules.aws_cloudtrail_s3_read_events_not_logged

# Accounts with a trail that logs them: the others' trails need not.
logged contains r.account if {
	some r in input.resources.audit_log
	r.type == "AWS::CloudTrail::Trail"
	r.facts.audit_log.s3_read_events == true
}

fail contains r.id if {
	some r in input.resources.audit_log
	r.type == "AWS::CloudTrail::Trail"
	r.facts.audit_log.s3_read_events == false
	not r.account in logged
}

message[id] := "no trail of the account logs S3 object-level read events for all buckets" if some id in fail
