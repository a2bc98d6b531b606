package vigil.rules.aws_cloudtrail_bucket_access_logging_disabled_test

import data.vigil.rules.aws_cloudtrail_bucket_access_logging_disabled as rule

one(log) := {"now": "2026-11-24T00:00:00Z", "resources": {"audit_log": [{
	"id": "r1", "provider": "aws", "type": "AWS::CloudTrail::Trail",
	"facts": {"audit_log": object.union({"destination": "trail-logs"}, log)},
}]}}

test_fail_bucket_without_access_logging if {
	inp := one({"destination_access_logging": false})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "the trail's bucket trail-logs has no server access logging" with input as inp
}

test_pass_bucket_with_access_logging if {
	inp := one({"destination_access_logging": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_bucket_not_in_inventory if {
	inp := one({"enabled": true})
	not "r1" in rule.fail with input as inp
}
