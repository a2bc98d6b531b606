package vigil.rules.registry_admin_user_test

import data.vigil.rules.registry_admin_user as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"container_registry": [{"id": "r1", "provider": provider, "type": type, "facts": {"registry": facts}}]}}

test_fail_admin_enabled if {
	"r1" in rule.fail with input as one("azure", {"admin_user": true})
}

test_pass_admin_disabled if {
	inp := one("azure", {"admin_user": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_admin_not_exported if {
	inp := one("azure", {"public": false})
	not "r1" in rule.fail with input as inp
}
