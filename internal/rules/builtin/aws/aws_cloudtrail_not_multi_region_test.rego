package vigil.rules.aws_cloudtrail_not_multi_region_test

import data.vigil.rules.aws_cloudtrail_not_multi_region as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"audit_log": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_multi_region_aws if {
	"r1" in rule.fail with input as one("aws", {"audit_log": {"multi_region": false}})
}

test_pass_multi_region if {
	inp := one("aws", {"audit_log": {"multi_region": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_multi_region_absent if {
	inp := one("aws", {"audit_log": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
