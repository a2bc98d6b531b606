# METADATA
# title: "Cloud SQL MySQL instance does not set local_infile to off"
# description: "local_infile lets clients load files of the server or the client with LOAD DATA LOCAL; CIS asks for the flag to be set to off explicitly, so an instance that leaves it unset fails."
# scope: package
# custom:
#   id: gcp-sql-mysql-local-infile-not-off
#   severity: MEDIUM
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag local_infile to off (gcloud sql instances patch INSTANCE --database-flags=local_infile=off)."
#   frameworks:
#     cis-gcp-5.0: ["6.1.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_mysql_local_infile_not_off

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "unset" when the
# instance does not set it) is not off, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.mysql(r)
	r.facts.database.flags_known == true
	r.facts.database.flags.local_infile
	not lower(trim_space(r.facts.database.flags.local_infile)) in {"off"}
}

# Not set: "unset".
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.mysql(r)
	r.facts.database.flags_known == true
	not r.facts.database.flags.local_infile
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.mysql(r)
}

message[r.id] := sprintf("local_infile is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags.local_infile]) if r.facts.database.flags.local_infile

else := "not set"
