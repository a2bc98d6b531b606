package vigil.rules.aws_ec2_imdsv1_allowed_test

import data.vigil.rules.aws_ec2_imdsv1_allowed as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_metadata_v2_required_aws if {
	"r1" in rule.fail with input as one("aws", {"compute": {"metadata_v2_required": false}})
}

test_pass_metadata_v2_required if {
	inp := one("aws", {"compute": {"metadata_v2_required": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_metadata_v2_required_absent if {
	inp := one("aws", {"compute": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
