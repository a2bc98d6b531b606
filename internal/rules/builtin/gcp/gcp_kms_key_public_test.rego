package vigil.rules.gcp_kms_key_public_test

import data.vigil.rules.gcp_kms_key_public as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"key": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_access_gcp if {
	"r1" in rule.fail with input as one("gcp", {"key": {"public_access": true}})
}

test_pass_public_access if {
	inp := one("gcp", {"key": {"public_access": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_access_absent if {
	inp := one("gcp", {"key": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
