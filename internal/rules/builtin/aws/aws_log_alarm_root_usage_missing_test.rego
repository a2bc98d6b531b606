package vigil.rules.aws_log_alarm_root_usage_missing_test

import data.vigil.rules.aws_log_alarm_root_usage_missing as rule

one(m) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": {"metric_filter_alarms": m}}}}]}}

test_fail_not_monitored if {
	"r1" in rule.fail with input as one({"root_usage": false})
}

test_pass_monitored if {
	not "r1" in rule.fail with input as one({"root_usage": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"iam_policy_changes": false})
}
