# METADATA
# title: "Cloud SQL SQL Server instance configures user options"
# description: "user options is set, overriding the default query-processing options of every user session; CIS asks for it not to be configured."
# scope: package
# custom:
#   id: gcp-sql-sqlserver-user-options-set
#   severity: LOW
#   category: exposure
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Remove the database flag \"user options\"."
#   frameworks:
#     cis-gcp-5.0: ["6.3.4"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.9"]
#     pci-dss-4.0: ["2.2"]
#     nist-800-53-r5: ["CM-6", "CM-7"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.PS-01"]
package vigil.rules.gcp_sql_sqlserver_user_options_set

import data.vigil.lib.cloudsql as sql

fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	sql.sqlserver(r)

	# sql.set(r, "user options"), as conditions on the flag itself
	r.facts.database.flags_known == true
	r.facts.database.flags["user options"]
}

# Instances of the other engines do not have this flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not sql.sqlserver(r)
}

message[id] := "the flag user options is set" if some id in fail
