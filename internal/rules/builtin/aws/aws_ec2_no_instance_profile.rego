# METADATA
# title: "EC2 instance has no IAM instance profile"
# description: "The instance has no IAM role attached through an instance profile, so software on it that calls AWS APIs must use long-term access keys stored on the instance instead of temporary role credentials."
# scope: package
# custom:
#   id: aws-ec2-no-instance-profile
#   severity: LOW
#   category: identity
#   class: compute
#   providers: [aws]
#   requires: [facts.compute.instance_profile]
#   remediation: "Attach an IAM role with the permissions the instance needs (aws ec2 associate-iam-instance-profile) and remove access keys from the instance."
#   frameworks:
#     cis-aws-7.0: ["2.16"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     nist-800-53-r5: ["IA-5", "AC-2"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.aws_ec2_no_instance_profile

fail contains r.id if {
	some r in input.resources.compute
	r.facts.compute.instance_profile == false
}

message[id] := "no IAM instance profile is attached" if some id in fail
