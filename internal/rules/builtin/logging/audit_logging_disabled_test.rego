package vigil.rules.audit_logging_disabled_test

import data.vigil.rules.audit_logging_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_audit_logging_aws if {
	"r1" in rule.fail with input as one("aws", {"account": {"audit_logging": false}})
}

test_fail_audit_logging_azure if {
	"r1" in rule.fail with input as one("azure", {"account": {"audit_logging": false}})
}

test_fail_audit_logging_gcp if {
	"r1" in rule.fail with input as one("gcp", {"account": {"audit_logging": false}})
}

test_pass_audit_logging if {
	inp := one("aws", {"account": {"audit_logging": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_audit_logging_absent if {
	inp := one("aws", {"account": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
