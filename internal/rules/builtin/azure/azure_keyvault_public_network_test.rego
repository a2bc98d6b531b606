package vigil.rules.azure_keyvault_public_network_test

import data.vigil.rules.azure_keyvault_public_network as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"key_vault": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_network_azure if {
	"r1" in rule.fail with input as one("azure", {"key_vault": {"public_network": true}})
}

test_pass_public_network if {
	inp := one("azure", {"key_vault": {"public_network": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_network_absent if {
	inp := one("azure", {"key_vault": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}
