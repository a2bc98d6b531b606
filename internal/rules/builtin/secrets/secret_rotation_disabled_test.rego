package vigil.rules.secret_rotation_disabled_test

import data.vigil.rules.secret_rotation_disabled as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"secret": [{"id": "r1", "provider": provider, "type": type, "facts": {"secret": facts}}]}}

test_fail_secrets_manager_no_rotation if {
	"r1" in rule.fail with input as one("aws", {"rotation_enabled": false})
}

test_fail_secret_manager_no_schedule if {
	"r1" in rule.fail with input as one("gcp", {"rotation_enabled": false, "enabled": true})
}

test_pass_rotating if {
	inp := one("aws", {"rotation_enabled": true, "rotation_period_days": 30})
	not "r1" in rule.fail with input as inp
}

test_pass_disabled_secret if {
	inp := one("gcp", {"rotation_enabled": false, "enabled": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_rotation_not_exported if {
	inp := one("aws", {"key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}
