# METADATA
# title: "Cloud SQL PostgreSQL instance does not log messages of WARNING severity"
# description: "log_min_messages is set above warning (error, log, fatal or panic), so warnings are not written to the server log; the default, warning, passes."
# scope: package
# custom:
#   id: gcp-sql-postgres-log-min-messages
#   severity: LOW
#   category: logging
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag log_min_messages to warning (or a more verbose level), or remove it."
#   frameworks:
#     cis-gcp-5.0: ["6.2.5"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_sql_postgres_log_min_messages

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "warning" when the
# instance does not set it) is one of {"error", "log", "fatal", "panic"}, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	lower(trim_space(r.facts.database.flags.log_min_messages)) in {"error", "log", "fatal", "panic"}
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.postgres(r)
}

message[r.id] := sprintf("log_min_messages is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.log_min_messages]) if r.facts.database.flags.log_min_messages

else := "not set"
