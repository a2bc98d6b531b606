package vigil.rules.aws_user_console_without_mfa_test

import data.vigil.rules.aws_user_console_without_mfa as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_console_without_mfa if {
	"r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "console_access": true, "mfa_enabled": false}})
}

test_pass_console_with_mfa if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": true, "mfa_enabled": true}})
	not "r1" in rule.fail with input as inp
}

test_pass_no_console_access if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": false, "mfa_enabled": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_mfa_absent if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": true}})
	not "r1" in rule.fail with input as inp
}

test_skip_root if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "root", "console_access": true, "mfa_enabled": false}})
}
