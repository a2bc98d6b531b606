package vigil.rules.gcp_sql_mysql_local_infile_not_off_test

import data.vigil.rules.gcp_sql_mysql_local_infile_not_off as rule

one(engine, db) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{
	"id": "r1", "provider": "gcp", "type": "sqladmin.googleapis.com/Instance",
	"facts": {"database": object.union({"engine": engine}, db)},
}]}}

test_fail_local_infile_bad if {
	"r1" in rule.fail with input as one("mysql_8_0", {"flags_known": true, "flags": {"local_infile": "on"}})
}

test_pass_local_infile_good if {
	inp := one("mysql_8_0", {"flags_known": true, "flags": {"local_infile": "off"}})
	not "r1" in rule.fail with input as inp
}

test_fail_local_infile_not_set if {
	"r1" in rule.fail with input as one("mysql_8_0", {"flags_known": true})
}

test_unknown_when_flags_not_shown if {
	not "r1" in rule.fail with input as one("mysql_8_0", {})
}

test_skip_other_engine if {
	inp := one("postgres_16", {"flags_known": true, "flags": {"local_infile": "on"}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}
