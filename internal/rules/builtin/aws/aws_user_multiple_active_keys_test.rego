package vigil.rules.aws_user_multiple_active_keys_test

import data.vigil.rules.aws_user_multiple_active_keys as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_two_active if {
	inp := one("aws", {"identity": {"kind": "user", "access_keys": [{"id": "A1", "active": true}, {"id": "A2", "active": true}]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "2 access keys are active" with input as inp
}

test_pass_one_active_one_inactive if {
	inp := one("aws", {"identity": {"kind": "user", "access_keys": [{"id": "A1", "active": true}, {"id": "A2", "active": false}]}})
	not "r1" in rule.fail with input as inp
}

test_pass_no_keys if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "access_keys_known": true}})
}

test_unknown_keys_not_exported if {
	inp := one("aws", {"identity": {"kind": "user"}})
	not "r1" in rule.fail with input as inp
}
