# METADATA
# title: "Cloud SQL PostgreSQL instance logs errors with VERBOSE detail"
# description: "log_error_verbosity=verbose writes the source file, function and line of each error to the logs; CIS asks for DEFAULT or stricter (TERSE). The flag's default is DEFAULT."
# scope: package
# custom:
#   id: gcp-sql-postgres-log-error-verbosity
#   severity: LOW
#   category: logging
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag log_error_verbosity to default or terse, or remove it."
#   frameworks:
#     cis-gcp-5.0: ["6.2.1"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_sql_postgres_log_error_verbosity

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "default" when the
# instance does not set it) is not one of {"default", "terse"}, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	r.facts.database.flags.log_error_verbosity
	not lower(trim_space(r.facts.database.flags.log_error_verbosity)) in {"default", "terse"}
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.postgres(r)
}

message[r.id] := sprintf("log_error_verbosity is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.log_error_verbosity]) if r.facts.database.flags.log_error_verbosity

else := "not set"
