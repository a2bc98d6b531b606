package vigil.lib.cloudsql_test

import data.vigil.lib.cloudsql as sql

pg(flags) := {"facts": {"database": {"engine": "postgres_16", "flags_known": true, "flags": flags}}}

test_flag_value_and_default if {
	sql.flag(pg({"log_connections": " On "}), "log_connections", "off") == "on"
	sql.flag(pg({}), "log_connections", "off") == "off"
	sql.postgres(pg({}))
	not sql.mysql(pg({}))
	sql.set(pg({"user options": "32"}), "user options")
	not sql.set(pg({}), "user options")
}

test_flag_unknown_is_undefined if {
	r := {"facts": {"database": {"engine": "mysql_8_0"}}}
	not sql.flag(r, "local_infile", "on")
	not sql.set(r, "local_infile")
}
