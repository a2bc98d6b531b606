package vigil.rules.aws_user_direct_admin_test

import data.vigil.rules.aws_user_direct_admin as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_admin_aws if {
	"r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "admin": true}})
}

test_pass_admin if {
	inp := one("aws", {"identity": {"kind": "user", "admin": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_admin_absent if {
	inp := one("aws", {"identity": {"kind": "user"}})
	not "r1" in rule.fail with input as inp
}

test_skip_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}

test_skip_roles if {
	inp := one("aws", {"identity": {"kind": "role", "admin": true}})
	not "r1" in rule.fail with input as inp
}
