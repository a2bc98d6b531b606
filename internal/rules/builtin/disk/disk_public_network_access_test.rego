package vigil.rules.disk_public_network_access_test

import data.vigil.rules.disk_public_network_access as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"disk": [{"id": "r1", "provider": provider, "type": type, "facts": {"disk": facts}}]}}

test_fail_allow_all if {
	"r1" in rule.fail with input as one("azure", {"encrypted": true, "public_network_access": true, "attached": false})
}

test_pass_deny_all if {
	inp := one("azure", {"encrypted": true, "public_network_access": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_policy_not_exported if {
	inp := one("azure", {"encrypted": true})
	not "r1" in rule.fail with input as inp
}
