package vigil.rules.aws_s3_mfa_delete_disabled_test

import data.vigil.rules.aws_s3_mfa_delete_disabled as rule

one(storage) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{
	"id": "r1", "provider": "aws", "type": "AWS::S3::Bucket",
	"facts": {"storage": storage},
}]}}

test_fail_mfa_delete_off if {
	"r1" in rule.fail with input as one({"versioning": true, "delete_protection": false})
}

test_pass_mfa_delete_on if {
	inp := one({"versioning": true, "delete_protection": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_versioning_not_recorded if {
	inp := one({"encrypted": true})
	not "r1" in rule.fail with input as inp
}
