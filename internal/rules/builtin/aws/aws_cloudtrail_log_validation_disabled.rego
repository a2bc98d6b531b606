# METADATA
# title: "CloudTrail log file validation is disabled"
# description: "Without log file integrity validation, modified or deleted CloudTrail log files cannot be detected."
# scope: package
# custom:
#   id: aws-cloudtrail-log-validation-disabled
#   severity: MEDIUM
#   category: logging
#   class: audit_log
#   providers: [aws]
#   requires: [facts.audit_log.file_validation]
#   remediation: "Enable log file validation on the trail (aws cloudtrail update-trail --enable-log-file-validation)."
#   frameworks:
#     cis-aws-7.0: ["4.2"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.3.4"]
#     hipaa: ["164.312(c)(1)"]
#     nist-800-53-r5: ["AU-9", "SI-7"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "RS.AN-07"]
package vigil.rules.aws_cloudtrail_log_validation_disabled

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.file_validation == false
}

message[id] := "log file validation is disabled" if some id in fail
