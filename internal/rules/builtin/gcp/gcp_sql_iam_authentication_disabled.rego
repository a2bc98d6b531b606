# METADATA
# title: "Cloud SQL instance does not allow IAM database authentication"
# description: "The MySQL or PostgreSQL instance does not set the database flag cloudsql_iam_authentication (MySQL) or cloudsql.iam_authentication (PostgreSQL) to on, so every database user signs in with a password the database keeps, instead of short-lived IAM credentials that are revoked with the Google account."
# scope: package
# custom:
#   id: gcp-sql-iam-authentication-disabled
#   severity: LOW
#   category: identity
#   class: database
#   providers: [gcp]
#   applies_to:
#     type: [sqladmin.googleapis.com/Instance]
#   requires: [facts.database.flags_known]
#   remediation: "Set the database flag cloudsql_iam_authentication (MySQL) or cloudsql.iam_authentication (PostgreSQL) to on (gcloud sql instances patch INSTANCE --database-flags=...=on, keeping the instance's other flags), then add the users as Cloud IAM users or groups."
#   frameworks:
#     cis-gcp-5.0: ["6.6"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.5"]
#     pci-dss-4.0: ["8.3.1"]
#     nist-800-53-r5: ["IA-2", "AC-2(1)"]
#     nist-csf-2.0: ["PR.AA-03"]
package vigil.rules.gcp_sql_iam_authentication_disabled

import data.vigil.lib.cloudsql as sql

fail contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	iam_engine(r)
	not iam_on(r)
	r.facts.database.flags_known == true
}

# Cloud SQL for SQL Server has no IAM database authentication flag.
skip contains r.id if {
	some r in input.resources.database
	r.type == "sqladmin.googleapis.com/Instance"
	r.facts.database.engine
	not iam_engine(r)
}

iam_engine(r) if sql.mysql(r)

iam_engine(r) if sql.postgres(r)

# Either spelling counts on either engine: the value is what matters.
# sql.flag(r, <name>, "off") == "on", written as a condition on the flag
# itself (the fail set tests flags_known) so that the engine evaluates the
# rule without OPA (docs/rule-contract.md).
iam_on(r) if lower(trim_space(r.facts.database.flags.cloudsql_iam_authentication)) in {"on"}

iam_on(r) if lower(trim_space(r.facts.database.flags["cloudsql.iam_authentication"])) in {"on"}

message[id] := "IAM database authentication is off (flag not set to on)" if some id in fail
