package vigil.rules.azure_sql_threat_alerts_disabled_test

import data.vigil.rules.azure_sql_threat_alerts_disabled as rule

typed(type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{"id": "r1", "provider": "azure", "type": type, "facts": facts}]}}

one(facts) := typed("Microsoft.Sql/servers", facts)

test_fail_off if {
	"r1" in rule.fail with input as one({"database": {"threat_alerts": false}})
	rule.message.r1 == "threat detection alerts are disabled, or some alert types are" with input as one({"database": {"threat_alerts": false}})
}

test_pass_on if {
	not "r1" in rule.fail with input as one({"database": {"threat_alerts": true}})
}

test_unknown_without_policy if {
	not "r1" in rule.fail with input as one({"database": {}})
}

test_skip_postgres if {
	not "r1" in rule.fail with input as typed("Microsoft.DBforPostgreSQL/flexibleServers", {"database": {"threat_alerts": false}})
}
