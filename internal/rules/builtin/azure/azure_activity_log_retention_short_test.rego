package vigil.rules.azure_activity_log_retention_short_test

import data.vigil.rules.azure_activity_log_retention_short as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"audit_log": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_90_days if {
	inp := one("azure", {"audit_log": {"enabled": true, "retention_days": 90}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "activity logs are retained 90 days (minimum 365)" with input as inp
}

test_pass_365_days if {
	inp := one("azure", {"audit_log": {"retention_days": 365}})
	not "r1" in rule.fail with input as inp
}

test_pass_zero_means_forever if {
	inp := one("azure", {"audit_log": {"retention_days": 0}})
	not "r1" in rule.fail with input as inp
}

test_unknown_retention_absent if {
	inp := one("azure", {"audit_log": {"enabled": true}})
	not "r1" in rule.fail with input as inp
}
