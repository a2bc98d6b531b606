package vigil.rules.azure_sql_auditing_disabled_test

import data.vigil.rules.azure_sql_auditing_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "Microsoft.Sql/servers", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_auditing_enabled_azure if {
	"r1" in rule.fail with input as one("azure", {"database": {"auditing_enabled": false}})
}

test_pass_auditing_enabled if {
	inp := one("azure", {"database": {"auditing_enabled": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_auditing_enabled_absent if {
	inp := one("azure", {"database": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}

test_skip_postgres if {
	inp := typed("azure", "Microsoft.DBforPostgreSQL/flexibleServers", {"database": {"auditing_enabled": false}})
	not "r1" in rule.fail with input as inp
}
