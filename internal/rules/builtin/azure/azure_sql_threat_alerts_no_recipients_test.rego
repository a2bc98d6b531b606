package vigil.rules.azure_sql_threat_alerts_no_recipients_test

import data.vigil.rules.azure_sql_threat_alerts_no_recipients as rule

typed(type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{"id": "r1", "provider": "azure", "type": type, "facts": facts}]}}

one(facts) := typed("Microsoft.Sql/servers", facts)

test_fail_nobody if {
	"r1" in rule.fail with input as one({"database": {"threat_alert_recipients": false}})
	rule.message.r1 == "threat detection alerts are mailed to no one" with input as one({"database": {"threat_alert_recipients": false}})
}

test_pass_mailed if {
	not "r1" in rule.fail with input as one({"database": {"threat_alert_recipients": true}})
}

test_unknown_without_policy if {
	not "r1" in rule.fail with input as one({"database": {}})
}

test_skip_mysql if {
	not "r1" in rule.fail with input as typed("Microsoft.DBforMySQL/flexibleServers", {"database": {"threat_alert_recipients": false}})
}
