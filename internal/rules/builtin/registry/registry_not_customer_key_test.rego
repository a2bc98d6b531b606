package vigil.rules.registry_not_customer_key_test

import data.vigil.rules.registry_not_customer_key as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"container_registry": [{"id": "r1", "provider": provider, "type": type, "facts": {"registry": facts}}]}}

test_fail_ecr_aes256 if {
	"r1" in rule.fail with input as one("aws", {"key_manager": "provider"})
}

test_fail_acr_default if {
	"r1" in rule.fail with input as one("azure", {"key_manager": "provider"})
}

test_fail_artifact_registry_google_key if {
	"r1" in rule.fail with input as one("gcp", {"key_manager": "provider"})
}

test_pass_cmk if {
	inp := one("azure", {"key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}

test_unknown_encryption_not_exported if {
	inp := one("gcp", {"public": false})
	not "r1" in rule.fail with input as inp
}
