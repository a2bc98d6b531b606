package vigil.rules.storage_access_logging_disabled_test

import data.vigil.rules.storage_access_logging_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_access_logging_aws if {
	"r1" in rule.fail with input as one("aws", {"storage": {"access_logging": false}})
}

test_fail_access_logging_gcp if {
	"r1" in rule.fail with input as one("gcp", {"storage": {"access_logging": false}})
}

test_pass_access_logging if {
	inp := one("aws", {"storage": {"access_logging": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_access_logging_absent if {
	inp := one("aws", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
