package vigil.rules.azure_activity_alert_security_solution_delete_missing_test

import data.vigil.rules.azure_activity_alert_security_solution_delete_missing as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_no_alert if {
	"r1" in rule.fail with input as one({"account": {"activity_alerts": {"security_solution_delete": false}}})
}

test_pass_alert if {
	not "r1" in rule.fail with input as one({"account": {"activity_alerts": {"security_solution_delete": true}}})
}

test_unknown_alerts_not_exported if {
	not "r1" in rule.fail with input as one({"account": {}})
}
