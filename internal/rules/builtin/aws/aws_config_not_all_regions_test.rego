package vigil.rules.aws_config_not_all_regions_test

import data.vigil.rules.aws_config_not_all_regions as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_region_without_recorder if {
	"r1" in rule.fail with input as one({"config_all_regions": false, "config_missing_regions": ["eu-central-1"]})
	rule.message.r1 == "no recording AWS Config recorder in eu-central-1" with input as one({"config_all_regions": false, "config_missing_regions": ["eu-central-1"]})
}

test_pass_every_region if {
	not "r1" in rule.fail with input as one({"config_all_regions": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"support_role": true})
}
