package vigil.rules.storage_insecure_transport_test

import data.vigil.rules.storage_insecure_transport as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_secure_transport_only_aws if {
	"r1" in rule.fail with input as one("aws", {"storage": {"secure_transport_only": false}})
}

test_fail_secure_transport_only_azure if {
	"r1" in rule.fail with input as one("azure", {"storage": {"secure_transport_only": false}})
}

test_pass_secure_transport_only if {
	inp := one("aws", {"storage": {"secure_transport_only": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_secure_transport_only_absent if {
	inp := one("aws", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
