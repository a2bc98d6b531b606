package vigil.rules.snapshot_public_test

import data.vigil.rules.snapshot_public as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"snapshot": [{"id": "r1", "provider": provider, "type": type, "facts": {"snapshot": facts}}]}}

test_fail_public_snapshot_aws if {
	"r1" in rule.fail with input as one("aws", {"kind": "snapshot", "public": true, "encrypted": false})
}

test_fail_public_image_gcp if {
	"r1" in rule.fail with input as one("gcp", {"kind": "image", "public": true})
}

test_fail_allow_all_azure if {
	"r1" in rule.fail with input as one("azure", {"kind": "snapshot", "public": true, "encrypted": true})
}

test_pass_private_snapshot if {
	inp := one("aws", {"kind": "snapshot", "public": false, "shared_with": ["111122223333"]})
	not "r1" in rule.fail with input as inp
}

test_unknown_permissions_not_exported if {
	inp := one("aws", {"kind": "image", "encrypted": true})
	not "r1" in rule.fail with input as inp
}
