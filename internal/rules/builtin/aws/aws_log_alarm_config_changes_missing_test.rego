package vigil.rules.aws_log_alarm_config_changes_missing_test

import data.vigil.rules.aws_log_alarm_config_changes_missing as rule

one(m) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": {"metric_filter_alarms": m}}}}]}}

test_fail_not_monitored if {
	"r1" in rule.fail with input as one({"config_changes": false})
}

test_pass_monitored if {
	not "r1" in rule.fail with input as one({"config_changes": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"security_group_changes": false})
}
