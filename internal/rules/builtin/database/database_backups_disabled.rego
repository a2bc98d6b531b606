# METADATA
# title: "Managed database backups are disabled or retained too briefly"
# description: "Automated backups are off, or kept for fewer than 7 days, so the database cannot be restored to a recent point after corruption, deletion or ransomware."
# scope: package
# custom:
#   id: database-backups-disabled
#   severity: MEDIUM
#   category: resilience
#   class: database
#   providers: [aws, azure, gcp]
#   requires: [facts.database.backup_enabled]
#   remediation: "Enable automated backups with a retention of at least 7 days (RDS BackupRetentionPeriod, Azure backupRetentionDays, Cloud SQL backupConfiguration.enabled with retainedBackups)."
#   frameworks:
#     cis-gcp-5.0: ["6.8"]
#     soc2: ["A1.2"]
#     iso27001-2022: ["A.8.13"]
#     hipaa: ["164.308(a)(7)(ii)(A)"]
#     nist-800-53-r5: ["CP-9"]
#     gdpr: ["Art.32(1)(c)"]
#     nist-csf-2.0: ["PR.DS-11"]
package vigil.rules.database_backups_disabled

min_retention_days := 7

# backup_retention_days is a number whenever present (the facts are typed).
short_retention(db) if db.backup_retention_days < min_retention_days

# The fail set compares facts with constants only, so the engine evaluates
# it in Go (docs/rules.md): 7 is min_retention_days.
fail contains r.id if {
	some r in input.resources.database
	r.facts.database.backup_enabled == false
}

fail contains r.id if {
	some r in input.resources.database
	r.facts.database.backup_retention_days < 7
}

message[r.id] := "automated backups are disabled" if {
	some r in input.resources.database
	r.facts.database.backup_enabled == false
}

message[r.id] := sprintf("backups are retained %d days (minimum %d)", [r.facts.database.backup_retention_days, min_retention_days]) if {
	some r in input.resources.database
	not r.facts.database.backup_enabled == false
	short_retention(r.facts.database)
}
