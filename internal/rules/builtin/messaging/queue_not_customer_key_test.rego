package vigil.rules.queue_not_customer_key_test

import data.vigil.rules.queue_not_customer_key as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"queue": [{"id": "r1", "provider": provider, "type": type, "facts": {"queue": facts}}]}}

test_fail_sqs_managed_sse if {
	"r1" in rule.fail with input as one("aws", {"encrypted": true, "key_manager": "provider"})
}

test_fail_service_bus_microsoft_key if {
	"r1" in rule.fail with input as one("azure", {"encrypted": true, "key_manager": "provider"})
}

test_fail_pubsub_google_key if {
	"r1" in rule.fail with input as one("gcp", {"key_manager": "provider"})
}

test_pass_cmk if {
	inp := one("azure", {"encrypted": true, "key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}

test_unknown_key_not_exported if {
	inp := one("aws", {"encrypted": false})
	not "r1" in rule.fail with input as inp
}
