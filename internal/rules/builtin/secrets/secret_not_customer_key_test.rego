package vigil.rules.secret_not_customer_key_test

import data.vigil.rules.secret_not_customer_key as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"secret": [{"id": "r1", "provider": provider, "type": type, "facts": {"secret": facts}}]}}

test_fail_aws_managed_key if {
	"r1" in rule.fail with input as one("aws", {"key_manager": "provider", "rotation_enabled": false})
}

test_fail_google_managed_key if {
	"r1" in rule.fail with input as one("gcp", {"key_manager": "provider"})
}

test_pass_cmk if {
	inp := one("aws", {"key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}

test_unknown_key_not_exported if {
	inp := one("gcp", {"rotation_enabled": true})
	not "r1" in rule.fail with input as inp
}
