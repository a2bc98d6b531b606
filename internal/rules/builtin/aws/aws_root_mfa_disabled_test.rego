package vigil.rules.aws_root_mfa_disabled_test

import data.vigil.rules.aws_root_mfa_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_mfa_enabled_aws if {
	"r1" in rule.fail with input as one("aws", {"identity": {"kind": "root", "mfa_enabled": false}})
}

test_pass_mfa_enabled if {
	inp := one("aws", {"identity": {"kind": "root", "mfa_enabled": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_mfa_enabled_absent if {
	inp := one("aws", {"identity": {"kind": "root"}})
	not "r1" in rule.fail with input as inp
}

test_skip_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}

test_skip_users if {
	inp := one("aws", {"identity": {"kind": "user", "mfa_enabled": false}})
	not "r1" in rule.fail with input as inp
}
