package vigil.rules.aws_root_hardware_mfa_missing_test

import data.vigil.rules.aws_root_hardware_mfa_missing as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_virtual if {
	"r1" in rule.fail with input as one({"root_hardware_mfa": false})
}

test_pass_hardware if {
	not "r1" in rule.fail with input as one({"root_hardware_mfa": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"support_role": true})
}
