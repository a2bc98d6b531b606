package vigil.rules.aws_cloudtrail_s3_write_events_not_logged_test

import data.vigil.rules.aws_cloudtrail_s3_write_events_not_logged as rule

trail(id, account, a) := {"id": id, "provider": "aws", "account": account, "type": "AWS::CloudTrail::Trail", "facts": {"audit_log": a}}

inp(trails) := {"now": "2026-11-24T00:00:00Z", "resources": {"audit_log": trails}}

test_fail_no_trail_logs_them if {
	"r1" in rule.fail with input as inp([trail("r1", "111122223333", {"s3_write_events": false, "multi_region": true})])
}

test_pass_trail_logs_them if {
	i := inp([trail("r1", "111122223333", {"s3_write_events": true})])
	not "r1" in rule.fail with input as i
}

test_pass_another_trail_of_the_account_logs_them if {
	i := inp([
		trail("r1", "111122223333", {"s3_write_events": false}),
		trail("r2", "111122223333", {"s3_write_events": true}),
	])
	not "r1" in rule.fail with input as i
}

test_fail_a_trail_of_another_account_does_not_count if {
	i := inp([
		trail("r1", "111122223333", {"s3_write_events": false}),
		trail("r2", "444455556666", {"s3_write_events": true}),
	])
	"r1" in rule.fail with input as i
}

test_unknown_when_selectors_not_read if {
	not "r1" in rule.fail with input as inp([trail("r1", "111122223333", {"multi_region": true})])
}
