package vigil.rules.gcp_sql_postgres_log_error_verbosity_test

import data.vigil.rules.gcp_sql_postgres_log_error_verbosity as rule

one(engine, db) := {"now": "2026-11-24T00:00:00Z", "resources": {"database": [{
	"id": "r1", "provider": "gcp", "type": "sqladmin.googleapis.com/Instance",
	"facts": {"database": object.union({"engine": engine}, db)},
}]}}

test_fail_log_error_verbosity_bad if {
	"r1" in rule.fail with input as one("postgres_16", {"flags_known": true, "flags": {"log_error_verbosity": "verbose"}})
}

test_pass_log_error_verbosity_good if {
	inp := one("postgres_16", {"flags_known": true, "flags": {"log_error_verbosity": "default"}})
	not "r1" in rule.fail with input as inp
}

test_pass_log_error_verbosity_not_set if {
	not "r1" in rule.fail with input as one("postgres_16", {"flags_known": true})
}

test_unknown_when_flags_not_shown if {
	not "r1" in rule.fail with input as one("postgres_16", {})
}

test_skip_other_engine if {
	inp := one("mysql_8_0", {"flags_known": true, "flags": {"log_error_verbosity": "verbose"}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}
