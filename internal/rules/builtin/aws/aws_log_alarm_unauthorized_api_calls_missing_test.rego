package vigil.rules.aws_log_alarm_unauthorized_api_calls_missing_test

import data.vigil.rules.aws_log_alarm_unauthorized_api_calls_missing as rule

one(m) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": {"metric_filter_alarms": m}}}}]}}

test_fail_not_monitored if {
	"r1" in rule.fail with input as one({"unauthorized_api_calls": false})
}

test_pass_monitored if {
	not "r1" in rule.fail with input as one({"unauthorized_api_calls": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"console_sign_in_without_mfa": false})
}
