# METADATA
# title: "Cloud SQL SQL Server instance allows remote access"
# description: "remote access is not off (its default is on), so stored procedures can be run from and on remote servers."
# scope: package
# custom:
#   id: gcp-sql-sqlserver-remote-access-enabled
#   severity: MEDIUM
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag \"remote access\" to off."
#   frameworks:
#     cis-gcp-5.0: ["6.3.5"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_sqlserver_remote_access_enabled

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "on" when the
# instance does not set it) is not off, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)
	r.facts.database.flags_known == true
	r.facts.database.flags["remote access"]
	not lower(trim_space(r.facts.database.flags["remote access"])) in {"off"}
}

# Not set: "on".
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)
	r.facts.database.flags_known == true
	not r.facts.database.flags["remote access"]
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.sqlserver(r)
}

message[r.id] := sprintf("remote access is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags["remote access"]]) if r.facts.database.flags["remote access"]

else := "not set"
