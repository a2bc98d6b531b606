package vigil.rules.gcp_audit_config_incomplete_test

import data.vigil.rules.gcp_audit_config_incomplete as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"audit_log": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_all_services_gcp if {
	"r1" in rule.fail with input as one("gcp", {"audit_log": {"all_services": false}})
}

test_pass_all_services if {
	inp := one("gcp", {"audit_log": {"all_services": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_all_services_absent if {
	inp := one("gcp", {"audit_log": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
