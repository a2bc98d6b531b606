# METADATA
# title: "Cloud SQL PostgreSQL instance does not log DDL statements"
# description: "log_statement is none (its default) or not a known level, so schema changes are not logged; CIS recommends ddl (mod and all log DDL too)."
# scope: package
# custom:
#   id: gcp-sql-postgres-log-statement-none
#   severity: LOW
#   category: logging
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag log_statement to ddl (or mod or all, as your logging policy asks)."
#   frameworks:
#     cis-gcp-5.0: ["6.2.4"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_sql_postgres_log_statement_none

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "none" when the
# instance does not set it) is not one of {"ddl", "mod", "all"}, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	r.facts.database.flags.log_statement
	not lower(trim_space(r.facts.database.flags.log_statement)) in {"ddl", "mod", "all"}
}

# Not set: "none".
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	not r.facts.database.flags.log_statement
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.postgres(r)
}

message[r.id] := sprintf("log_statement is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.log_statement]) if r.facts.database.flags.log_statement

else := "not set"
