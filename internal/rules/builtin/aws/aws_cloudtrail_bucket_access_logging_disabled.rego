# METADATA
# title: "CloudTrail's S3 bucket has no server access logging"
# description: "The bucket the trail delivers its log files to does not log the requests made to it (server access logging off), so who read, copied or deleted the audit logs leaves no trace. Known when the inventory holds the bucket with its logging configuration (AWS Config's BucketLoggingConfiguration)."
# scope: package
# custom:
#   id: aws-cloudtrail-bucket-access-logging-disabled
#   severity: LOW
#   category: logging
#   class: audit_log
#   providers: [aws]
#   applies_to:
#     type: [AWS::CloudTrail::Trail]
#   requires: [facts.audit_log.destination_access_logging]
#   remediation: "Enable server access logging on the trail's bucket, to another bucket the trail does not write to (aws s3api put-bucket-logging --bucket TRAIL_BUCKET --bucket-logging-status '{\"LoggingEnabled\":{\"TargetBucket\":\"LOG_BUCKET\",\"TargetPrefix\":\"cloudtrail/\"}}')."
#   frameworks:
#     cis-aws-7.0: ["4.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-9", "AU-12"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.aws_cloudtrail_bucket_access_logging_disabled

fail contains r.id if {
	some r in input.resources.audit_log
	r.type == "AWS::CloudTrail::Trail"
	r.facts.audit_log.destination_access_logging == false
}

message[r.id] := sprintf("the trail's bucket %s has no server access logging", [r.facts.audit_log.destination]) if {
	some r in input.resources.audit_log
	r.id in fail
}
