package vigil.rules.storage_unencrypted_test

import data.vigil.rules.storage_unencrypted as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_encrypted_aws if {
	"r1" in rule.fail with input as one("aws", {"storage": {"encrypted": false}})
}

test_fail_encrypted_azure if {
	"r1" in rule.fail with input as one("azure", {"storage": {"encrypted": false}})
}

test_fail_encrypted_gcp if {
	"r1" in rule.fail with input as one("gcp", {"storage": {"encrypted": false}})
}

test_pass_encrypted if {
	inp := one("aws", {"storage": {"encrypted": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_encrypted_absent if {
	inp := one("aws", {"storage": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
