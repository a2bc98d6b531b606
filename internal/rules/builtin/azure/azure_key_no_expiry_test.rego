package vigil.rules.azure_key_no_expiry_test

import data.vigil.rules.azure_key_no_expiry as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"key": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_no_expiry if {
	inp := one("azure", {"key": {"enabled": true, "rotation_enabled": false}})
	"r1" in rule.fail with input as inp
}

test_pass_expiry_set if {
	inp := one("azure", {"key": {"enabled": true, "expires": "2027-06-30T00:00:00Z"}})
	not "r1" in rule.fail with input as inp
}

test_unknown_attributes_not_exported if {
	inp := one("azure", {"key": {}})
	not "r1" in rule.fail with input as inp
}
