# METADATA
# title: "Cloud SQL MySQL instance does not set skip_show_database to on"
# description: "Without skip_show_database=on, any user can run SHOW DATABASES and list every database of the instance, including those it has no privilege on."
# scope: package
# custom:
#   id: gcp-sql-mysql-skip-show-database-off
#   severity: LOW
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag skip_show_database to on (gcloud sql instances patch INSTANCE --database-flags=skip_show_database=on)."
#   frameworks:
#     cis-gcp-5.0: ["6.1.2"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_mysql_skip_show_database_off

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "off" when the
# instance does not set it) is not on, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.mysql(r)
	r.facts.database.flags_known == true
	r.facts.database.flags.skip_show_database
	not lower(trim_space(r.facts.database.flags.skip_show_database)) in {"on"}
}

# Not set: "off".
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.mysql(r)
	r.facts.database.flags_known == true
	not r.facts.database.flags.skip_show_database
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.mysql(r)
}

message[r.id] := sprintf("skip_show_database is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.skip_show_database]) if r.facts.database.flags.skip_show_database

else := "not set"
