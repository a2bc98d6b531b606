package vigil.rules.aws_s3_account_public_access_block_disabled_test

import data.vigil.rules.aws_s3_account_public_access_block_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "AWS::::Account", facts)

typed(provider, type, facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_account_public_access_block_disabled if {
	"r1" in rule.fail with input as one("aws", {"account": {"storage_public_access_blocked": false}})
}

test_fail_with_other_account_facts if {
	"r1" in rule.fail with input as one("aws", {"account": {"storage_public_access_blocked": false, "default_encryption": true, "audit_logging": true}})
}

test_pass_account_public_access_block_enabled if {
	inp := one("aws", {"account": {"storage_public_access_blocked": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_storage_public_access_blocked_absent if {
	inp := one("aws", {"account": {"default_encryption": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
