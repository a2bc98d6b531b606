# METADATA
# title: "Managed database has a public endpoint"
# description: "The RDS instance, Azure database server or Cloud SQL instance is reachable from the internet, exposing it to credential attacks and exploits."
# scope: package
# custom:
#   id: database-public-endpoint
#   severity: HIGH
#   category: exposure
#   class: database
#   providers: [aws, azure, gcp]
#   requires: [facts.database.public_endpoint]
#   remediation: "Disable public accessibility (RDS PubliclyAccessible=false / Azure publicNetworkAccess=Disabled with private endpoints / Cloud SQL private IP only)."
#   frameworks:
#     cis-aws-7.0: ["3.2.3"]
#     cis-gcp-5.0: ["6.7"]
#     soc2: ["CC6.6"]
#     iso27001-2022: ["A.8.20", "A.8.22"]
#     pci-dss-4.0: ["1.3.1", "1.4.4"]
#     hipaa: ["164.312(e)(1)"]
#     nist-800-53-r5: ["SC-7", "AC-4"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-01"]
package vigil.rules.database_public_endpoint

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.public_endpoint == true
}

message[id] := "the database endpoint is publicly reachable" if some id in fail
