package vigil.rules.aws_cloudshell_full_access_attached_test

import data.vigil.rules.aws_cloudshell_full_access_attached as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_attached if {
	inp := one({"cloud_shell_full_access": true, "cloud_shell_holders": ["devs", "ops"]})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "AWSCloudShellFullAccess is attached to devs, ops" with input as inp
}

test_pass_not_attached if {
	not "r1" in rule.fail with input as one({"cloud_shell_full_access": false})
}

test_unknown_principals_not_read if {
	not "r1" in rule.fail with input as one({"support_role": true})
}
