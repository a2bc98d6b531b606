package vigil.rules.aws_ebs_default_encryption_disabled_test

import data.vigil.rules.aws_ebs_default_encryption_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_default_encryption_aws if {
	"r1" in rule.fail with input as one("aws", {"account": {"default_encryption": false}})
}

test_pass_default_encryption if {
	inp := one("aws", {"account": {"default_encryption": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_default_encryption_absent if {
	inp := one("aws", {"account": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
