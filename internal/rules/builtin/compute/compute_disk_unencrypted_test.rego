package vigil.rules.compute_disk_unencrypted_test

import data.vigil.rules.compute_disk_unencrypted as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_disk_encrypted_aws if {
	"r1" in rule.fail with input as one("aws", {"compute": {"disk_encrypted": false}})
}

test_fail_disk_encrypted_azure if {
	"r1" in rule.fail with input as one("azure", {"compute": {"disk_encrypted": false}})
}

test_fail_disk_encrypted_gcp if {
	"r1" in rule.fail with input as one("gcp", {"compute": {"disk_encrypted": false}})
}

test_pass_disk_encrypted if {
	inp := one("aws", {"compute": {"disk_encrypted": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_disk_encrypted_absent if {
	inp := one("aws", {"compute": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
