package vigil.rules.database_unencrypted_test

import data.vigil.rules.database_unencrypted as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_encrypted_aws if {
	"r1" in rule.fail with input as one("aws", {"database": {"encrypted": false}})
}

test_fail_encrypted_azure if {
	"r1" in rule.fail with input as one("azure", {"database": {"encrypted": false}})
}

test_fail_encrypted_gcp if {
	"r1" in rule.fail with input as one("gcp", {"database": {"encrypted": false}})
}

test_pass_encrypted if {
	inp := one("aws", {"database": {"encrypted": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_encrypted_absent if {
	inp := one("aws", {"database": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
