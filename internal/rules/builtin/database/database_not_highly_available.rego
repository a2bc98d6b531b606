# METADATA
# title: "Managed database has no standby in another zone"
# description: "The RDS instance is not Multi-AZ, the Cloud SQL instance is zonal, or the Azure flexible server has high availability disabled: a zone outage or a failed host takes the database down until it is restored."
# scope: package
# custom:
#   id: database-not-highly-available
#   severity: LOW
#   category: resilience
#   class: database
#   providers: [aws, azure, gcp]
#   applies_to:
#     type: [AWS::RDS::DBInstance, sqladmin.googleapis.com/Instance, Microsoft.DBforPostgreSQL/flexibleServers, Microsoft.DBforMySQL/flexibleServers]
#   requires: [facts.database.multi_az]
#   remediation: "Run a standby in another zone: RDS MultiAZ (Terraform multi_az = true), Cloud SQL availabilityType REGIONAL (availability_type = \"REGIONAL\"), Azure flexible server high availability ZoneRedundant or SameZone (high_availability block)."
#   frameworks:
#     cis-aws-7.0: ["3.2.4"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.14"]
#     nist-800-53-r5: ["CP-10"]
#     gdpr: ["Art.32(1)(b)"]
#     nist-csf-2.0: ["PR.IR-03"]
package vigil.rules.database_not_highly_available

# DynamoDB, Cosmos DB, Spanner and Azure SQL replicate across zones by
# design or by other settings: the rule is about instance databases.
instance_types := {"AWS::RDS::DBInstance", "sqladmin.googleapis.com/Instance", "Microsoft.DBforPostgreSQL/flexibleServers", "Microsoft.DBforMySQL/flexibleServers"}

fail contains r.id if {
	some r in input.resources.database
	r.type in instance_types
	r.facts.database.multi_az == false
	not aurora_instance(r)
}

# An Aurora instance is made available by its cluster's replicas, not by
# its own Multi-AZ flag.
skip contains r.id if {
	some r in input.resources.database
	aurora_instance(r)
}

aurora_instance(r) if {
	r.type == "AWS::RDS::DBInstance"
	startswith(lower(r.facts.database.engine), "aurora")
}

message[id] := "no standby in another zone (single-zone deployment)" if some id in fail
