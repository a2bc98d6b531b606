package vigil.rules.azure_storage_soft_delete_disabled_test

import data.vigil.rules.azure_storage_soft_delete_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_delete_protection_azure if {
	"r1" in rule.fail with input as one("azure", {"storage": {"delete_protection": false}})
}

test_pass_delete_protection if {
	inp := one("azure", {"storage": {"delete_protection": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_delete_protection_absent if {
	inp := one("azure", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}
