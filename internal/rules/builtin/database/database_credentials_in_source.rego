# METADATA
# title: "Database password written in the infrastructure code"
# description: "The administrator or user password of the RDS instance or Aurora cluster, Azure SQL, PostgreSQL or MySQL server, or Cloud SQL instance is written in the IaC source: a literal, a variable's default or a tfvars value Terraform loads by itself. It is in version control, in every copy of the code and in the state, and it changes only when someone edits the code."
# scope: package
# custom:
#   id: database-credentials-in-source
#   severity: HIGH
#   category: identity
#   class: database
#   providers: [aws, azure, gcp]
#   requires: [facts.database.credentials_in_source]
#   remediation: "Let the service manage the password (RDS manage_master_user_password, Azure AD-only authentication, Cloud SQL IAM authentication), or read it from a secret store (a data source of Secrets Manager, Key Vault or Secret Manager) or generate it (random_password); give a variable no default and pass its value at deploy time; rotate the exposed password."
#   frameworks:
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.5.17"]
#     pci-dss-4.0: ["8.6.2"]
#     nist-800-53-r5: ["IA-5(7)"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.AA-01"]
package vigil.rules.database_credentials_in_source

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.credentials_in_source == true
}

# One message, the names when the facts list some: the engine computes it on
# the Go fields (a function with else is a choice of texts there).
message[r.id] := credential_message(r) if {
	some r in input.resources.database
	r.id in fail
}

credential_message(r) := sprintf("password written in the source: %s", [concat(", ", r.facts.database.credential_arguments)]) if {
	count(object.get(r.facts.database, "credential_arguments", [])) > 0
} else := "a password is written in the source"
