package vigil.rules.azure_activity_alert_sql_firewall_rule_write_missing_test

import data.vigil.rules.azure_activity_alert_sql_firewall_rule_write_missing as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_no_alert if {
	"r1" in rule.fail with input as one({"account": {"activity_alerts": {"sql_firewall_rule_write": false}}})
}

test_pass_alert if {
	not "r1" in rule.fail with input as one({"account": {"activity_alerts": {"sql_firewall_rule_write": true}}})
}

test_unknown_alerts_not_exported if {
	not "r1" in rule.fail with input as one({"account": {}})
}
