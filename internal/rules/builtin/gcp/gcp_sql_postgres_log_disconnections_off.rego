# METADATA
# title: "Cloud SQL PostgreSQL instance does not log disconnections"
# description: "log_disconnections is not on (its default is off), so the end of each session and its duration are not logged."
# scope: package
# custom:
#   id: gcp-sql-postgres-log-disconnections-off
#   severity: MEDIUM
#   category: logging
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag log_disconnections to on."
#   frameworks:
#     cis-gcp-5.0: ["6.2.3"]
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04"]
package vigil.rules.gcp_sql_postgres_log_disconnections_off

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "off" when the
# instance does not set it) is not on, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	r.facts.database.flags.log_disconnections
	not lower(trim_space(r.facts.database.flags.log_disconnections)) in {"on"}
}

# Not set: "off".
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.postgres(r)
	r.facts.database.flags_known == true
	not r.facts.database.flags.log_disconnections
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.postgres(r)
}

message[r.id] := sprintf("log_disconnections is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.log_disconnections]) if r.facts.database.flags.log_disconnections

else := "not set"
