# METADATA
# title: "Managed database is not encrypted at rest"
# description: "Storage encryption is not enabled for the database, so data files, snapshots and backups are not protected by encryption at rest."
# scope: package
# custom:
#   id: database-unencrypted
#   severity: HIGH
#   category: encryption
#   class: database
#   providers: [aws, azure, gcp]
#   requires: [facts.database.encrypted]
#   remediation: "Create the RDS instance with StorageEncrypted=true (restore an encrypted snapshot copy) / enable Transparent Data Encryption / use Cloud SQL encryption (default or CMEK)."
#   frameworks:
#     cis-aws-7.0: ["3.2.1"]
#     soc2: ["CC6.1"]
#     iso27001-2022: ["A.8.24"]
#     pci-dss-4.0: ["3.5.1"]
#     hipaa: ["164.312(a)(2)(iv)"]
#     nist-800-53-r5: ["SC-28"]
#     gdpr: ["Art.32(1)(a)"]
#     nist-csf-2.0: ["PR.DS-01"]
package vigil.rules.database_unencrypted

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.encrypted == false
}

message[id] := "storage encryption is not enabled" if some id in fail
