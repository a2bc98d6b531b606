package vigil.rules.secret_rotation_period_long_test

import data.vigil.rules.secret_rotation_period_long as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"secret": [{"id": "r1", "provider": provider, "type": type, "facts": {"secret": facts}}]}}

test_fail_yearly if {
	"r1" in rule.fail with input as one("aws", {"rotation_enabled": true, "rotation_period_days": 365})
}

test_fail_half_yearly if {
	"r1" in rule.fail with input as one("gcp", {"rotation_enabled": true, "rotation_period_days": 180})
}

test_pass_monthly if {
	inp := one("aws", {"rotation_enabled": true, "rotation_period_days": 30})
	not "r1" in rule.fail with input as inp
}

test_skip_no_rotation if {
	inp := one("gcp", {"rotation_enabled": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_period_not_exported if {
	inp := one("gcp", {"rotation_enabled": true})
	not "r1" in rule.fail with input as inp
}
