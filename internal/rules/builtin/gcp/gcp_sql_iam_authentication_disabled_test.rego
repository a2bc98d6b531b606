package vigil.rules.gcp_sql_iam_authentication_disabled_test

import data.vigil.rules.gcp_sql_iam_authentication_disabled as rule

one(engine, db) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{
	"id": "r1", "provider": "gcp", "type": "sqladmin.googleapis.com/Instance",
	"facts": {"database": object.union({"engine": engine}, db)},
}]}}

test_fail_postgres_flag_not_set if {
	"r1" in rule.fail with input as one("postgres_16", {"flags_known": true})
}

test_fail_mysql_flag_off if {
	"r1" in rule.fail with input as one("mysql_8_0", {"flags_known": true, "flags": {"cloudsql_iam_authentication": "off"}})
}

test_pass_postgres_flag_on if {
	inp := one("postgres_16", {"flags_known": true, "flags": {"cloudsql.iam_authentication": "on"}})
	not "r1" in rule.fail with input as inp
}

test_pass_mysql_flag_on if {
	inp := one("mysql_8_0", {"flags_known": true, "flags": {"cloudsql_iam_authentication": "On "}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_flags_not_shown if {
	not "r1" in rule.fail with input as one("postgres_16", {})
}

test_skip_sqlserver if {
	inp := one("sqlserver_2022_standard", {"flags_known": true})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}
