package vigil.rules.aws_cloudtrail_log_validation_disabled_test

import data.vigil.rules.aws_cloudtrail_log_validation_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"audit_log": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_file_validation_aws if {
	"r1" in rule.fail with input as one("aws", {"audit_log": {"file_validation": false}})
}

test_pass_file_validation if {
	inp := one("aws", {"audit_log": {"file_validation": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_file_validation_absent if {
	inp := one("aws", {"audit_log": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
