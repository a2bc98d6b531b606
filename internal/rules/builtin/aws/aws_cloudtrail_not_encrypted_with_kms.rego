# METADATA
# title: "CloudTrail logs are not encrypted with a KMS key"
# description: "The trail's log files use only S3-managed encryption; SSE-KMS with a customer-managed key adds an access control on who can read the logs."
# scope: package
# custom:
#   id: aws-cloudtrail-not-encrypted-with-kms
#   severity: MEDIUM
#   category: logging
#   class: audit_log
#   providers: [aws]
#   requires: [facts.audit_log.encrypted_with_cmk]
#   remediation: "Configure the trail with a customer-managed KMS key (--kms-key-id) whose policy lets CloudTrail encrypt and only log readers decrypt."
#   frameworks:
#     cis-aws-7.0: ["4.5"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["10.3.2"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["AU-9", "SC-28"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "PR.DS-01"]
package vigil.rules.aws_cloudtrail_not_encrypted_with_kms

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.encrypted_with_cmk == false
}

message[id] := "the trail is not encrypted with a customer-managed KMS key" if some id in fail
