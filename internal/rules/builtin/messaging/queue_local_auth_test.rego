package vigil.rules.queue_local_auth_test

import data.vigil.rules.queue_local_auth as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"queue": [{"id": "r1", "provider": provider, "type": type, "facts": {"queue": facts}}]}}

test_fail_sas_enabled if {
	"r1" in rule.fail with input as one("azure", {"kind": "queue", "local_auth": true})
}

test_pass_entra_only if {
	inp := one("azure", {"kind": "topic", "local_auth": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_auth_not_exported if {
	inp := one("azure", {"kind": "queue", "public_network": false})
	not "r1" in rule.fail with input as inp
}
