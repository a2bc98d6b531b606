package vigil.rules.azure_storage_network_not_restricted_test

import data.vigil.rules.azure_storage_network_not_restricted as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_network_default_deny_azure if {
	"r1" in rule.fail with input as one("azure", {"storage": {"network_default_deny": false}})
}

test_pass_network_default_deny if {
	inp := one("azure", {"storage": {"network_default_deny": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_network_default_deny_absent if {
	inp := one("azure", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}
