package vigil.rules.aws_root_access_keys_test

import data.vigil.rules.aws_root_access_keys as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_active_root_key if {
	inp := one("aws", {"identity": {"kind": "root", "access_keys_known": true, "access_keys": [{"id": "AKIAROOT", "active": true}]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "the root user has 1 active access key(s)" with input as inp
}

test_pass_no_root_keys if {
	inp := one("aws", {"identity": {"kind": "root", "access_keys_known": true}})
	not "r1" in rule.fail with input as inp
}

test_pass_inactive_root_key if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "root", "access_keys": [{"id": "AKIAROOT", "active": false}]}})
}

test_unknown_keys_not_exported if {
	inp := one("aws", {"identity": {"kind": "root", "mfa_enabled": true}})
	not "r1" in rule.fail with input as inp
}

test_skip_users if {
	inp := one("aws", {"identity": {"kind": "user", "access_keys": [{"id": "AKIA1", "active": true}]}})
	not "r1" in rule.fail with input as inp
}
