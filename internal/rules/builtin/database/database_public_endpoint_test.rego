package vigil.rules.database_public_endpoint_test

import data.vigil.rules.database_public_endpoint as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_endpoint_aws if {
	"r1" in rule.fail with input as one("aws", {"database": {"public_endpoint": true}})
}

test_fail_public_endpoint_azure if {
	"r1" in rule.fail with input as one("azure", {"database": {"public_endpoint": true}})
}

test_fail_public_endpoint_gcp if {
	"r1" in rule.fail with input as one("gcp", {"database": {"public_endpoint": true}})
}

test_pass_public_endpoint if {
	inp := one("aws", {"database": {"public_endpoint": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_endpoint_absent if {
	inp := one("aws", {"database": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
