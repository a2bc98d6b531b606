package vigil.rules.snapshot_unencrypted_test

import data.vigil.rules.snapshot_unencrypted as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"snapshot": [{"id": "r1", "provider": provider, "type": type, "facts": {"snapshot": facts}}]}}

test_fail_unencrypted_snapshot if {
	"r1" in rule.fail with input as one("aws", {"kind": "snapshot", "encrypted": false})
}

test_pass_encrypted_snapshot if {
	inp := one("aws", {"kind": "snapshot", "encrypted": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_encryption_not_exported if {
	inp := one("aws", {"kind": "image"})
	not "r1" in rule.fail with input as inp
}
