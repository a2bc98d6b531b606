# METADATA
# title: "CloudTrail trail is not multi-region"
# description: "The trail records only its home region, so API activity in other regions is not logged."
# scope: package
# custom:
#   id: aws-cloudtrail-not-multi-region
#   severity: HIGH
#   category: logging
#   class: audit_log
#   providers: [aws]
#   requires: [facts.audit_log.multi_region]
#   remediation: "Update the trail with --is-multi-region-trail (or create an organization multi-region trail)."
#   frameworks:
#     cis-aws-7.0: ["4.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.aws_cloudtrail_not_multi_region

fail contains r.id if {
	some r in input.resources.audit_log
	r.facts.audit_log.multi_region == false
}

message[id] := "the trail logs a single region" if some id in fail
