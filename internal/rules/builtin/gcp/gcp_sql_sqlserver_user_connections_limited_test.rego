package vigil.rules.gcp_sql_sqlserver_user_connections_limited_test

import data.vigil.rules.gcp_sql_sqlserver_user_connections_limited as rule

one(engine, db) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{
	"id": "r1", "provider": "gcp", "type": "sqladmin.googleapis.com/Instance",
	"facts": {"database": object.union({"engine": engine}, db)},
}]}}

test_fail_user_connections_bad if {
	"r1" in rule.fail with input as one("sqlserver_2022_standard", {"flags_known": true, "flags": {"user connections": "100"}})
}

test_pass_user_connections_good if {
	inp := one("sqlserver_2022_standard", {"flags_known": true, "flags": {"user connections": "0"}})
	not "r1" in rule.fail with input as inp
}

test_pass_user_connections_not_set if {
	not "r1" in rule.fail with input as one("sqlserver_2022_standard", {"flags_known": true})
}

test_unknown_when_flags_not_shown if {
	not "r1" in rule.fail with input as one("sqlserver_2022_standard", {})
}

test_skip_other_engine if {
	inp := one("postgres_16", {"flags_known": true, "flags": {"user connections": "100"}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}
