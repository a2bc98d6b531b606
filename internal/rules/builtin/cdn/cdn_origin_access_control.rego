# METADATA
# title: "CloudFront S3 origin is not restricted to the distribution"
# description: "The CloudFront distribution reads an S3 origin without origin access control (or a legacy origin access identity), so the bucket must be readable outside CloudFront and viewers can bypass the distribution's WAF, HTTPS and geo restrictions."
# scope: package
# custom:
#   id: cdn-origin-access-control
#   severity: MEDIUM
#   category: exposure
#   class: cdn
#   providers: [aws]
#   requires: [facts.cdn.origin_access_control]
#   remediation: "Create an origin access control for the S3 origin, grant it s3:GetObject in the bucket policy with an aws:SourceArn condition on the distribution, and block public access on the bucket."
#   frameworks:
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20"]
#     pci-dss-4.0: ["1.3.1"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7"]
#     gdpr: ["Art.5(1)(f)", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.cdn_origin_access_control

fail contains r.id if {
	some r in input.resources.cdn
	r.facts.cdn.origin_access_control == false
}

message[id] := "the S3 origin is not restricted to the distribution" if some id in fail
