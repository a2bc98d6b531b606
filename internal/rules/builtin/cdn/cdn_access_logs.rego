# METADATA
# title: "CDN access logging is disabled"
# description: "The CloudFront distribution writes no standard (access) logs, or the Cloud CDN backend service has logging off, so the requests served at the edge cannot be investigated."
# scope: package
# custom:
#   id: cdn-access-logs
#   severity: LOW
#   category: logging
#   class: cdn
#   providers: [aws, gcp]
#   requires: [facts.cdn.access_logs]
#   remediation: "Enable CloudFront standard logging (to S3 or CloudWatch) or real-time logs; enable logConfig on the GCP backend service or backend bucket."
#   frameworks:
#     cis-aws-7.0: ["4.10"]
#     cis-gcp-5.0: ["2.17"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-09"]
package vigil.rules.cdn_access_logs

fail contains r.id if {
	some r in input.resources.cdn
	r.facts.cdn.access_logs == false
}

message[id] := "access logging is disabled" if some id in fail
