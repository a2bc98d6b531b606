package vigil.rules.aws_security_contact_missing_test

import data.vigil.rules.aws_security_contact_missing as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_security_contact_aws if {
	"r1" in rule.fail with input as one("aws", {"account": {"security_contact": false}})
}

test_pass_security_contact if {
	inp := one("aws", {"account": {"security_contact": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_security_contact_absent if {
	inp := one("aws", {"account": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
