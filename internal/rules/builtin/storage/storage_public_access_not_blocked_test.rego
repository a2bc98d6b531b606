package vigil.rules.storage_public_access_not_blocked_test

import data.vigil.rules.storage_public_access_not_blocked as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_access_blocked_aws if {
	"r1" in rule.fail with input as one("aws", {"storage": {"public_access_blocked": false}})
}

test_fail_public_access_blocked_azure if {
	"r1" in rule.fail with input as one("azure", {"storage": {"public_access_blocked": false}})
}

test_fail_public_access_blocked_gcp if {
	"r1" in rule.fail with input as one("gcp", {"storage": {"public_access_blocked": false}})
}

test_pass_public_access_blocked if {
	inp := one("aws", {"storage": {"public_access_blocked": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_access_blocked_absent if {
	inp := one("aws", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
