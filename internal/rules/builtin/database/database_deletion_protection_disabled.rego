# METADATA
# title: "Managed database has no deletion protection"
# description: "Deletion protection is off on the RDS instance or Aurora cluster, or on the Cloud SQL instance, so one API call, console click or terraform destroy deletes the database and its automated backups."
# scope: package
# custom:
#   id: database-deletion-protection-disabled
#   severity: LOW
#   category: resilience
#   class: database
#   providers: [aws, gcp]
#   requires: [facts.database.deletion_protection]
#   remediation: "Turn deletion protection on: RDS DeletionProtection (Terraform deletion_protection = true on aws_db_instance and aws_rds_cluster), Cloud SQL settings.deletionProtectionEnabled (settings.deletion_protection_enabled)."
#   frameworks:
#     cis-gcp-5.0: ["6.9"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     nist-800-53-r5: ["CP-9", "SI-12"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.database_deletion_protection_disabled

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.deletion_protection == false
	not aurora_instance(r)
}

# An Aurora instance is protected through its cluster: its own flag is not
# the database's.
skip contains r.id if {
	some r in input.resources.database
	aurora_instance(r)
}

aurora_instance(r) if {
	r.type == "AWS::RDS::DBInstance"
	startswith(lower(r.facts.database.engine), "aurora")
}

message[id] := "deletion protection is disabled" if some id in fail
