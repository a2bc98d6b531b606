package vigil.rules.gcp_bucket_uniform_access_disabled_test

import data.vigil.rules.gcp_bucket_uniform_access_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_uniform_access_gcp if {
	"r1" in rule.fail with input as one("gcp", {"storage": {"uniform_access": false}})
}

test_pass_uniform_access if {
	inp := one("gcp", {"storage": {"uniform_access": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_uniform_access_absent if {
	inp := one("gcp", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
