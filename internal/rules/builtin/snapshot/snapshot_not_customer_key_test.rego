package vigil.rules.snapshot_not_customer_key_test

import data.vigil.rules.snapshot_not_customer_key as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"snapshot": [{"id": "r1", "provider": provider, "type": type, "facts": {"snapshot": facts}}]}}

test_fail_provider_key_azure if {
	"r1" in rule.fail with input as one("azure", {"key_manager": "provider", "encrypted": true})
}

test_fail_provider_key_gcp if {
	"r1" in rule.fail with input as one("gcp", {"key_manager": "provider"})
}

test_pass_customer_key if {
	inp := one("aws", {"key_manager": "customer", "encrypted": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_key_not_exported if {
	inp := one("azure", {"encrypted": true})
	not "r1" in rule.fail with input as inp
}
