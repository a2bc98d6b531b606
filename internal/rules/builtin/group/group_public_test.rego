package vigil.rules.group_public_test

import data.vigil.rules.group_public as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"group": [{"id": "r1", "provider": provider, "type": type, "facts": {"group": facts}}]}}

test_fail_public_entra_group if {
	"r1" in rule.fail with input as one("azure", {"public": true})
}

test_fail_open_google_group if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "members": ["user:a@example.com"]})
}

test_pass_private_group if {
	inp := one("gcp", {"public": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_visibility_not_exported if {
	inp := one("azure", {"members": ["x"]})
	not "r1" in rule.fail with input as inp
}
