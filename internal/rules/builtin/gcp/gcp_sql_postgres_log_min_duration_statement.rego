# METADATA
# title: "Cloud SQL PostgreSQL instance logs statements with their duration"
# description: "log_min_duration_statement is not -1, so the text of slow statements, which may carry sensitive values, is written to the logs; the default, -1, passes."
# scope: package
# custom:
#   id: gcp-sql-postgres-log-min-duration-statement
#   severity: LOW
#   category: logging
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag log_min_duration_statement to -1, or remove it."
#   frameworks:
#     cis-gcp-5.0: ["6.2.7"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_sql_postgres_log_min_duration_statement

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "-1" when the
# instance does not set it) is not -1, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	r.facts.database.flags.log_min_duration_statement
	not lower(trim_space(r.facts.database.flags.log_min_duration_statement)) in {"-1"}
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.postgres(r)
}

message[r.id] := sprintf("log_min_duration_statement is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.log_min_duration_statement]) if r.facts.database.flags.log_min_duration_statement

else := "not set"
