package vigil.rules.queue_public_policy_test

import data.vigil.rules.queue_public_policy as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"queue": [{"id": "r1", "provider": provider, "type": type, "facts": {"queue": facts}}]}}

test_fail_sqs_principal_star if {
	"r1" in rule.fail with input as one("aws", {"kind": "queue", "public_policy": true})
}

test_fail_pubsub_all_users if {
	"r1" in rule.fail with input as one("gcp", {"kind": "topic", "public_policy": true})
}

test_pass_account_only if {
	inp := one("aws", {"kind": "topic", "public_policy": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_policy_not_exported if {
	inp := one("gcp", {"kind": "topic"})
	not "r1" in rule.fail with input as inp
}
