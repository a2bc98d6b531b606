package vigil.rules.snapshot_cross_account_shared_test

import data.vigil.rules.snapshot_cross_account_shared as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"snapshot": [{"id": "r1", "provider": provider, "type": type, "facts": {"snapshot": facts}}]}}

test_fail_shared_aws if {
	"r1" in rule.fail with input as one("aws", {"cross_account": true, "shared_with": ["999988887777"]})
}

test_fail_shared_gcp if {
	"r1" in rule.fail with input as one("gcp", {"kind": "image", "cross_account": true})
}

test_pass_not_shared if {
	inp := one("aws", {"cross_account": false})
	not "r1" in rule.fail with input as inp
}

test_pass_shared_within_org if {
	inp := one("gcp", {"cross_account": false, "shared_with": ["projects/nw-analytics-dev"]})
	not "r1" in rule.fail with input as inp
}

test_unknown_sharing_not_exported if {
	inp := one("aws", {"encrypted": true})
	not "r1" in rule.fail with input as inp
}
