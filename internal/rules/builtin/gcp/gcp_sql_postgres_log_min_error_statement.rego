# METADATA
# title: "Cloud SQL PostgreSQL instance sets log_min_error_statement below ERROR"
# description: "log_min_error_statement is more verbose than error (debug5-debug1, info, notice or warning); CIS asks for ERROR or stricter. The default, error, passes."
# scope: package
# custom:
#   id: gcp-sql-postgres-log-min-error-statement
#   severity: LOW
#   category: logging
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag log_min_error_statement to error (or log, fatal, panic), or remove it."
#   frameworks:
#     cis-gcp-5.0: ["6.2.6"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_sql_postgres_log_min_error_statement

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "error" when the
# instance does not set it) is one of {"debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning"}, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	lower(trim_space(r.facts.database.flags.log_min_error_statement)) in {"debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning"}
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.postgres(r)
}

message[r.id] := sprintf("log_min_error_statement is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.log_min_error_statement]) if r.facts.database.flags.log_min_error_statement

else := "not set"
