# METADATA
# title: "EC2 instance allows IMDSv1"
# description: "The instance metadata service accepts IMDSv1 requests, which SSRF flaws can abuse to steal the instance role's credentials."
# scope: package
# custom:
#   id: aws-ec2-imdsv1-allowed
#   severity: MEDIUM
#   category: exposure
#   class: compute
#   providers: [aws]
#   requires: [facts.compute.metadata_v2_required]
#   remediation: "Set HttpTokens=required on the instance (aws ec2 modify-instance-metadata-options --http-tokens required)."
#   frameworks:
#     cis-aws-7.0: ["6.7"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.9"]
#     nist-800-53-r5: ["CM-6", "AC-3"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.aws_ec2_imdsv1_allowed

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.metadata_v2_required == false
}

message[id] := "IMDSv1 (HttpTokens=optional) is allowed" if some id in fail
