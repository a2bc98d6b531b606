package vigil.rules.storage_public_access_test

import data.vigil.rules.storage_public_access as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_access_aws if {
	"r1" in rule.fail with input as one("aws", {"storage": {"public_access": true}})
}

test_fail_public_access_azure if {
	"r1" in rule.fail with input as one("azure", {"storage": {"public_access": true}})
}

test_fail_public_access_gcp if {
	"r1" in rule.fail with input as one("gcp", {"storage": {"public_access": true}})
}

test_pass_public_access if {
	inp := one("aws", {"storage": {"public_access": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_access_absent if {
	inp := one("aws", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
