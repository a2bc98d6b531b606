package vigil.rules.identity_unused_credentials_test

import data.vigil.rules.identity_unused_credentials as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_password_unused if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": true, "password_last_used": "2026-09-01T08:00:00Z", "access_keys_known": true}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "console password last used 83 days ago" with input as inp
}

test_fail_key_unused if {
	"r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "console_access": false, "access_keys": [
		{"id": "AKIA1", "active": true, "created": "2025-01-01T00:00:00Z", "last_used": "2026-08-01T00:00:00Z"},
	]}})
}

test_fail_key_never_used if {
	"r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "access_keys": [
		{"id": "AKIA1", "active": true, "created": "2026-06-01T00:00:00Z"},
	]}})
}

test_pass_recent_use if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": true, "password_last_used": "2026-11-20T00:00:00Z", "access_keys": [
		{"id": "AKIA1", "active": true, "created": "2025-01-01T00:00:00Z", "last_used": "2026-11-23T00:00:00Z"},
		{"id": "AKIA2", "active": false, "created": "2024-01-01T00:00:00Z"},
		{"id": "AKIA3", "active": true, "created": "2026-11-01T00:00:00Z"},
	]}})
	not "r1" in rule.fail with input as inp
}

# Without a console password the credential report has no password_last_used
# ("N/A"). custom.requires cannot make it required only for console users, and
# leaving it out would PASS console users whose password was never used, so a
# programmatic user is UNKNOWN.
test_unknown_programmatic_user_without_password_date if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "console_access": false, "access_keys_known": true}})
}

test_pass_programmatic_user_without_keys if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "console_access": false, "password_last_used": "2026-06-01T00:00:00Z", "access_keys_known": true}})
}

test_unknown_password_never_used_date_absent if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": true, "access_keys_known": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_keys_not_exported if {
	inp := one("aws", {"identity": {"kind": "user", "console_access": true, "password_last_used": "2026-11-20T00:00:00Z"}})
	not "r1" in rule.fail with input as inp
}

test_skip_roots_and_roles if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "root"}})
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "role"}})
}
