package vigil.rules.aws_ec2_no_instance_profile_test

import data.vigil.rules.aws_ec2_no_instance_profile as rule

one(c) := {"now": "2026-11-24T00:00:00Z", "resources": {"compute": [{
	"id": "r1", "provider": "aws", "type": "AWS::EC2::Instance", "facts": {"compute": c},
}]}}

test_fail_no_profile if {
	"r1" in rule.fail with input as one({"instance_profile": false})
}

test_pass_profile_attached if {
	inp := one({"instance_profile": true, "identity": "arn:aws:iam::111122223333:instance-profile/app"})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_configuration_not_shown if {
	not "r1" in rule.fail with input as one({"metadata_v2_required": true})
}
