# METADATA
# title: "EBS encryption by default is disabled"
# description: "New EBS volumes in the account are not encrypted unless each launch asks for it. Read from aws ec2 get-ebs-encryption-by-default per region, saved as ebs-encryption-by-default.<region>.json under aws/<account>/ (vigil collect writes them); without them the account is UNKNOWN."
# scope: package
# custom:
#   id: aws-ebs-default-encryption-disabled
#   severity: MEDIUM
#   category: encryption
#   class: account
#   providers: [aws]
#   requires: [facts.account.default_encryption]
#   remediation: "Enable EBS encryption by default in every region (aws ec2 enable-ebs-encryption-by-default)."
#   frameworks:
#     cis-aws-7.0: ["6.1.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.aws_ebs_default_encryption_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.default_encryption == false
}

message[id] := "EBS encryption by default is disabled" if some id in fail
