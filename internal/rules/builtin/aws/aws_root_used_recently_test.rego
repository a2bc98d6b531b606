package vigil.rules.aws_root_used_recently_test

import data.vigil.rules.aws_root_used_recently as rule

root(id) := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{"id": "r1", "provider": "aws", "type": "AWS::IAM::Root", "facts": {"identity": id}}]}}

test_fail_password_used if {
	"r1" in rule.fail with input as root({"kind": "root", "access_keys_known": true, "password_last_used": "2026-11-21T10:00:00Z"})
}

test_fail_key_used if {
	"r1" in rule.fail with input as root({"kind": "root", "access_keys_known": true, "password_last_used": "2026-01-01T00:00:00Z", "access_keys": [{"id": "access_key_1", "active": true, "last_used": "2026-11-23T08:00:00Z"}]})
}

test_pass_not_recent if {
	inp := root({"kind": "root", "access_keys_known": true, "password_last_used": "2026-11-10T00:00:00Z", "access_keys": [{"id": "access_key_1", "active": false, "last_used": "2025-11-23T08:00:00Z"}]})
	not "r1" in rule.fail with input as inp
}

test_pass_never_used if {
	not "r1" in rule.fail with input as root({"kind": "root", "access_keys_known": true})
}

test_not_root if {
	not "r1" in rule.fail with input as root({"kind": "user", "access_keys_known": true, "password_last_used": "2026-11-23T00:00:00Z"})
}

test_unknown_no_report if {
	not "r1" in rule.fail with input as root({"kind": "root", "mfa_enabled": true})
}
