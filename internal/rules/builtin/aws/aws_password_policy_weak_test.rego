package vigil.rules.aws_password_policy_weak_test

import data.vigil.rules.aws_password_policy_weak as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"password_policy": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_short_length if {
	inp := one("aws", {"password_policy": {"min_length": 8, "reuse_prevention": 24}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "minimum length 8 (< 14)" with input as inp
}

test_fail_reuse_allowed_length_unknown if {
	inp := one("aws", {"password_policy": {"reuse_prevention": 5}})
	"r1" in rule.fail with input as inp
}

test_pass_strong_policy if {
	inp := one("aws", {"password_policy": {"min_length": 14, "reuse_prevention": 24, "require_symbols": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_reuse_absent if {
	inp := one("aws", {"password_policy": {"min_length": 16}})
	not "r1" in rule.fail with input as inp
}
