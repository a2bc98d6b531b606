package vigil.rules.aws_efs_unencrypted_test

import data.vigil.rules.aws_efs_unencrypted as rule

one(disk) := {"resources": {"disk": [{"id": "r1", "provider": "aws", "type": "AWS::EFS::FileSystem", "facts": {"disk": disk}}]}}

test_fail_unencrypted if {
	"r1" in rule.fail with input as one({"encrypted": false})
}

test_pass_encrypted if {
	not "r1" in rule.fail with input as one({"encrypted": true, "key_manager": "provider"})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"attached": true})
}
