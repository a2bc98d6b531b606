package vigil.rules.database_backups_disabled_test

import data.vigil.rules.database_backups_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_backups_disabled_gcp if {
	"r1" in rule.fail with input as one("gcp", {"database": {"backup_enabled": false}})
}

test_fail_short_retention_aws if {
	inp := one("aws", {"database": {"backup_enabled": true, "backup_retention_days": 1}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "backups are retained 1 days (minimum 7)" with input as inp
}

test_fail_zero_retention_without_enabled_flag if {
	"r1" in rule.fail with input as one("aws", {"database": {"backup_retention_days": 0}})
}

test_pass_enabled_with_retention if {
	inp := one("azure", {"database": {"backup_enabled": true, "backup_retention_days": 7}})
	not "r1" in rule.fail with input as inp
}

test_pass_enabled_retention_unknown if {
	not "r1" in rule.fail with input as one("gcp", {"database": {"backup_enabled": true}})
}

test_unknown_when_absent if {
	inp := one("aws", {"database": {"encrypted": true}})
	not "r1" in rule.fail with input as inp
}
