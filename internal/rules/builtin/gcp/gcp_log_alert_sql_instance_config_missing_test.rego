package vigil.rules.gcp_log_alert_sql_instance_config_missing_test

import data.vigil.rules.gcp_log_alert_sql_instance_config_missing as rule

one(alerts) := {"resources": {"account": [{"id": "r1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": {"log_metric_alerts": alerts}}}}]}}

test_fail_no_alert if {
	"r1" in rule.fail with input as one({"sql_instance_config": false})
}

test_pass_alerted if {
	not "r1" in rule.fail with input as one({"sql_instance_config": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"route": false})
}
