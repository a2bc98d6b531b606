# METADATA
# title: "Cloud SQL SQL Server instance enables external scripts"
# description: "external scripts enabled is on, so R or Python scripts can run outside the database engine's security boundary; the default, off, passes."
# scope: package
# custom:
#   id: gcp-sql-sqlserver-external-scripts-enabled
#   severity: MEDIUM
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag \"external scripts enabled\" to off, or remove it."
#   frameworks:
#     cis-gcp-5.0: ["6.3.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_sqlserver_external_scripts_enabled

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "off" when the
# instance does not set it) is not off, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)
	r.facts.database.flags_known == true
	r.facts.database.flags["external scripts enabled"]
	not lower(trim_space(r.facts.database.flags["external scripts enabled"])) in {"off"}
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.sqlserver(r)
}

message[r.id] := sprintf("external scripts enabled is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags["external scripts enabled"]]) if r.facts.database.flags["external scripts enabled"]

else := "not set"
