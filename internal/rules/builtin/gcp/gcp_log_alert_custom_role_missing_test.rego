package vigil.rules.gcp_log_alert_custom_role_missing_test

import data.vigil.rules.gcp_log_alert_custom_role_missing as rule

one(alerts) := {"resources": {"account": [{"id": "r1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": {"log_metric_alerts": alerts}}}}]}}

test_fail_no_alert if {
	"r1" in rule.fail with input as one({"custom_role": false})
}

test_pass_alerted if {
	not "r1" in rule.fail with input as one({"custom_role": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"route": false})
}
