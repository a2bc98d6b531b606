package vigil.rules.aws_macie_not_all_bucket_regions_test

import data.vigil.rules.aws_macie_not_all_bucket_regions as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_bucket_region_without_macie if {
	"r1" in rule.fail with input as one({"macie_all_bucket_regions": false, "macie_missing_regions": ["eu-west-1"]})
	rule.message.r1 == "Amazon Macie is not enabled in eu-west-1, where the account holds S3 buckets" with input as one({"macie_all_bucket_regions": false, "macie_missing_regions": ["eu-west-1"]})
}

test_pass_every_bucket_region if {
	not "r1" in rule.fail with input as one({"macie_all_bucket_regions": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"security_hub_all_regions": true})
}
