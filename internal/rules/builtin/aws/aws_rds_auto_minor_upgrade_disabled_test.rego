package vigil.rules.aws_rds_auto_minor_upgrade_disabled_test

import data.vigil.rules.aws_rds_auto_minor_upgrade_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_auto_minor_upgrade_aws if {
	"r1" in rule.fail with input as one("aws", {"database": {"auto_minor_upgrade": false}})
}

test_pass_auto_minor_upgrade if {
	inp := one("aws", {"database": {"auto_minor_upgrade": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_auto_minor_upgrade_absent if {
	inp := one("aws", {"database": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
