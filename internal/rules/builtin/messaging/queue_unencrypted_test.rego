package vigil.rules.queue_unencrypted_test

import data.vigil.rules.queue_unencrypted as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"queue": [{"id": "r1", "provider": provider, "type": type, "facts": {"queue": facts}}]}}

test_fail_sqs_no_sse if {
	"r1" in rule.fail with input as one("aws", {"kind": "queue", "encrypted": false})
}

test_fail_sns_no_kms if {
	"r1" in rule.fail with input as one("aws", {"kind": "topic", "encrypted": false})
}

test_pass_sse_sqs if {
	inp := one("aws", {"kind": "queue", "encrypted": true, "key_manager": "provider"})
	not "r1" in rule.fail with input as inp
}

test_unknown_attributes_not_exported if {
	inp := one("aws", {"kind": "queue"})
	not "r1" in rule.fail with input as inp
}
