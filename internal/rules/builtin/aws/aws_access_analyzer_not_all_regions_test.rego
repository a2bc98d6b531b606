package vigil.rules.aws_access_analyzer_not_all_regions_test

import data.vigil.rules.aws_access_analyzer_not_all_regions as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_region_without_analyzer if {
	"r1" in rule.fail with input as one({"access_analyzer_all_regions": false, "access_analyzer_missing_regions": ["eu-west-1"]})
}

test_pass_every_region if {
	not "r1" in rule.fail with input as one({"access_analyzer_all_regions": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"config_all_regions": true})
}
