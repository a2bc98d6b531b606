package vigil.rules.gcp_log_alert_storage_iam_missing_test

import data.vigil.rules.gcp_log_alert_storage_iam_missing as rule

one(alerts) := {"resources": {"account": [{"id": "r1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": {"log_metric_alerts": alerts}}}}]}}

test_fail_no_alert if {
	"r1" in rule.fail with input as one({"storage_iam": false})
}

test_pass_alerted if {
	not "r1" in rule.fail with input as one({"storage_iam": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"route": false})
}
