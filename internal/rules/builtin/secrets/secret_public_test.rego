package vigil.rules.secret_public_test

import data.vigil.rules.secret_public as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"secret": [{"id": "r1", "provider": provider, "type": type, "facts": {"secret": facts}}]}}

test_fail_aws_principal_star if {
	"r1" in rule.fail with input as one("aws", {"public_access": true})
}

test_fail_gcp_all_users if {
	"r1" in rule.fail with input as one("gcp", {"public_access": true})
}

test_pass_private if {
	inp := one("aws", {"public_access": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_policy_not_exported if {
	inp := one("gcp", {"rotation_enabled": true})
	not "r1" in rule.fail with input as inp
}
