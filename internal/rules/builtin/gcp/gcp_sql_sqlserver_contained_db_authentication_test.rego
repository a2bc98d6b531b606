package vigil.rules.gcp_sql_sqlserver_contained_db_authentication_test

import data.vigil.rules.gcp_sql_sqlserver_contained_db_authentication as rule

one(engine, db) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{
	"id": "r1", "provider": "gcp", "type": "sqladmin.googleapis.com/Instance",
	"facts": {"database": object.union({"engine": engine}, db)},
}]}}

test_fail_contained_database_authentication_bad if {
	"r1" in rule.fail with input as one("sqlserver_2022_standard", {"flags_known": true, "flags": {"contained database authentication": "on"}})
}

test_pass_contained_database_authentication_good if {
	inp := one("sqlserver_2022_standard", {"flags_known": true, "flags": {"contained database authentication": "off"}})
	not "r1" in rule.fail with input as inp
}

test_pass_contained_database_authentication_not_set if {
	not "r1" in rule.fail with input as one("sqlserver_2022_standard", {"flags_known": true})
}

test_unknown_when_flags_not_shown if {
	not "r1" in rule.fail with input as one("sqlserver_2022_standard", {})
}

test_skip_other_engine if {
	inp := one("postgres_16", {"flags_known": true, "flags": {"contained database authentication": "on"}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}
