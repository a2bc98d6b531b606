package vigil.rules.registry_public_network_test

import data.vigil.rules.registry_public_network as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"container_registry": [{"id": "r1", "provider": provider, "type": type, "facts": {"registry": facts}}]}}

test_fail_open_to_all if {
	"r1" in rule.fail with input as one("azure", {"public_network": true})
}

test_pass_private_endpoint if {
	inp := one("azure", {"public_network": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_network_not_exported if {
	inp := one("azure", {"admin_user": false})
	not "r1" in rule.fail with input as inp
}
