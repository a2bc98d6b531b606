# METADATA
# title: Cloud SQL database flag helpers
# description: Engine families and database flag values of Cloud SQL instances (facts.database.engine, flags, flags_known), for the CIS GCP 6.x flag rules.
# scope: package
package vigil.lib.cloudsql

# mysql(r), postgres(r), sqlserver(r): the instance's engine family, from
# its databaseVersion (MYSQL_8_0, POSTGRES_16, SQLSERVER_2022_STANDARD).
mysql(r) if startswith(r.facts.database.engine, "mysql")

postgres(r) if startswith(r.facts.database.engine, "postgres")

sqlserver(r) if startswith(r.facts.database.engine, "sqlserver")

# flag(r, name, unset) is the value of the flag name, trimmed and in lower
# case, or unset when the instance does not set it; undefined when the
# input does not show the instance's flags (flags_known not true).
flag(r, name, unset) := lower(trim_space(v)) if {
	r.facts.database.flags_known == true
	v := r.facts.database.flags[name]
} else := unset if {
	r.facts.database.flags_known == true
}

# set(r, name) is true when the instance sets the flag name.
set(r, name) if {
	r.facts.database.flags_known == true
	r.facts.database.flags[name]
}
