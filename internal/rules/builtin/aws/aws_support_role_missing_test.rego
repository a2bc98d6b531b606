package vigil.rules.aws_support_role_missing_test

import data.vigil.rules.aws_support_role_missing as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_no_support_role if {
	"r1" in rule.fail with input as one({"support_role": false})
}

test_pass_support_role if {
	not "r1" in rule.fail with input as one({"support_role": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"config_all_regions": true})
}
