package vigil.rules.queue_weak_tls_test

import data.vigil.rules.queue_weak_tls as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"queue": [{"id": "r1", "provider": provider, "type": type, "facts": {"queue": facts}}]}}

test_fail_tls10 if {
	"r1" in rule.fail with input as one("azure", {"kind": "queue", "min_tls_version": "1.0"})
}

test_fail_tls11 if {
	"r1" in rule.fail with input as one("azure", {"kind": "topic", "min_tls_version": "1.1"})
}

test_pass_tls12 if {
	inp := one("azure", {"kind": "queue", "min_tls_version": "1.2"})
	not "r1" in rule.fail with input as inp
}

test_unknown_tls_not_exported if {
	inp := one("azure", {"kind": "queue", "local_auth": false})
	not "r1" in rule.fail with input as inp
}
