package vigil.rules.queue_public_network_test

import data.vigil.rules.queue_public_network as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"queue": [{"id": "r1", "provider": provider, "type": type, "facts": {"queue": facts}}]}}

test_fail_service_bus_public if {
	"r1" in rule.fail with input as one("azure", {"kind": "queue", "public_network": true})
}

test_pass_private_endpoint_only if {
	inp := one("azure", {"kind": "topic", "public_network": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_network_not_exported if {
	inp := one("azure", {"kind": "queue"})
	not "r1" in rule.fail with input as inp
}
