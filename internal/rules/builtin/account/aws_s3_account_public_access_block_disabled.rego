# METADATA
# title: "S3 account-level Block Public Access is not fully enabled"
# description: "The account's S3 Block Public Access settings (BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets) are not all enabled, so every bucket relies on its own settings and a single mistaken ACL or policy on a new bucket can expose its data."
# scope: package
# custom:
#   id: aws-s3-account-public-access-block-disabled
#   severity: MEDIUM
#   category: exposure
#   class: account
#   providers: [aws]
#   requires: [facts.account.storage_public_access_blocked]
#   remediation: "Enable all four account-level S3 Block Public Access settings (aws s3control put-public-access-block --account-id <id> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true)."
#   frameworks:
#     cis-aws-7.0: ["3.1.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.3"]
#     pci-dss-4.0: ["1.4.1"]
#     hipaa: ["164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "AC-6"]
#     gdpr: ["Art.5(1)(f)", "Art.25", "Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-05"]
package vigil.rules.aws_s3_account_public_access_block_disabled

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.storage_public_access_blocked == false
}

message[id] := "account-level S3 Block Public Access does not enable all four settings" if some id in fail
