# METADATA
# title: "Amazon Macie is not enabled in every region holding S3 buckets"
# description: "A region holding the account's S3 buckets has no Amazon Macie session, or its session is paused: the data in those buckets is not discovered and classified for sensitive content. Known when the input holds a Macie session of the account in some region (aws macie2 get-macie-session per region); a region whose output is absent counts as without Macie, since the call answers \"Macie is not enabled\" there."
# scope: package
# custom:
#   id: aws-macie-not-all-bucket-regions
#   severity: LOW
#   category: governance
#   class: account
#   providers: [aws]
#   requires: [facts.account.cis.macie_all_bucket_regions]
#   remediation: "Enable Amazon Macie in every region holding S3 buckets (aws macie2 enable-macie --region REGION, or from the Macie delegated administrator for the organization) and resume it where it is paused (aws macie2 update-macie-session --status ENABLED); turn on automated sensitive data discovery."
#   frameworks:
#     cis-aws-7.0: ["3.1.3"]
#     soc2: ["C1.1"]
#     iso27001-2022: ["A.5.12"]
#     nist-800-53-r5: ["RA-2"]
#     nist-csf-2.0: ["ID.AM-07"]
package vigil.rules.aws_macie_not_all_bucket_regions

fail contains r.id if {
	some r in input.resources.account
	r.facts.account.cis.macie_all_bucket_regions == false
}

message[r.id] := sprintf("Amazon Macie is not enabled in %s, where the account holds S3 buckets", [concat(", ", r.facts.account.cis.macie_missing_regions)]) if {
	some r in input.resources.account
	r.id in fail
}
