# METADATA
# title: "Cloud SQL SQL Server instance limits user connections"
# description: "user connections is set to a value other than 0 (unlimited, the default), so the instance can refuse connections when the limit is reached."
# scope: package
# custom:
#   id: gcp-sql-sqlserver-user-connections-limited
#   severity: LOW
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag \"user connections\" to 0, or remove it."
#   frameworks:
#     cis-gcp-5.0: ["6.3.3"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_sqlserver_user_connections_limited

import data.vigil.lib.cloudsql as sql

# The flag's value (sql.flag: trimmed, in lower case; "0" when the
# instance does not set it) is not 0, written as conditions on the flag
# itself so that the engine evaluates the rule without OPA
# (docs/rule-contract.md).
fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)
	r.facts.database.flags_known == true
	r.facts.database.flags["user connections"]
	not lower(trim_space(r.facts.database.flags["user connections"])) in {"0"}
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.sqlserver(r)
}

message[r.id] := sprintf("user connections is %s", [value(r)]) if {
	some r in input.resources.database
	r.id in fail
}

value(r) := sprintf("%q", [r.facts.database.flags["user connections"]]) if r.facts.database.flags["user connections"]

else := "not set"
