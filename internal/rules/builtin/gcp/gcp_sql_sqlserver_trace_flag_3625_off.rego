# METADATA
# title: "Cloud SQL SQL Server instance does not set trace flag 3625"
# description: "Trace flag 3625 is not on (its default is off), so error messages show their full parameters, which may disclose data, to users who are not sysadmin."
# scope: package
# custom:
#   id: gcp-sql-sqlserver-trace-flag-3625-off
#   severity: LOW
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag 3625 to on."
#   frameworks:
#     cis-gcp-5.0: ["6.3.6"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_sqlserver_trace_flag_3625_off

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "off" when the
# instance does not set it) is not on, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)
	r.facts.database.flags_known == true
	r.facts.database.flags["3625"]
	not lower(trim_space(r.facts.database.flags["3625"])) in {"on"}
}

# Not set: "off".
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)
	r.facts.database.flags_known == true
	not r.facts.database.flags["3625"]
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.sqlserver(r)
}

message[r.id] := sprintf("3625 is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags["3625"]]) if r.facts.database.flags["3625"]

else := "not set"
