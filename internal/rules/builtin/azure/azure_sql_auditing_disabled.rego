# METADATA
# title: "Azure SQL server auditing is disabled"
# description: "Server-level auditing is off, so database access and changes are not recorded."
# scope: package
# custom:
#   id: azure-sql-auditing-disabled
#   severity: MEDIUM
#   category: logging
#   class: database
#   providers: [azure]
#   applies_to:
#     type: [Microsoft.Sql/servers]
#   requires: [facts.database.auditing_enabled]
#   remediation: "Enable auditing on the SQL server to a storage account, Log Analytics workspace or Event Hub with 90+ days retention."
#   frameworks:
#     soc2: ["CC7.2"]
#     iso27001-2022: ["A.8.15"]
#     pci-dss-4.0: ["10.2.1"]
#     hipaa: ["164.312(b)"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
#     gdpr: ["Art.33"]
#     nist-csf-2.0: ["PR.PS-04", "DE.CM-03"]
package vigil.rules.azure_sql_auditing_disabled

# Only Azure SQL servers (not PostgreSQL / MySQL servers): custom.applies_to
# gives the rule only these, so the type test here only matters to its Rego
# tests. (Comparisons of facts with constants, with no helper functions, are
# evaluated by the engine in Go: see docs/rules.md.)
fail contains r.id if {
	some r in input.resources.database
	r.type == "Microsoft.Sql/servers"
	r.facts.database.auditing_enabled == false
}

message[id] := "server auditing is disabled" if some id in fail
