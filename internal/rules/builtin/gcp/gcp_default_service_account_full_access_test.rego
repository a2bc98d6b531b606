package vigil.rules.gcp_default_service_account_full_access_test

import data.vigil.rules.gcp_default_service_account_full_access as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_default_service_account_full_access_gcp if {
	"r1" in rule.fail with input as one("gcp", {"compute": {"default_service_account_full_access": true}})
}

test_pass_default_service_account_full_access if {
	inp := one("gcp", {"compute": {"default_service_account_full_access": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_default_service_account_full_access_absent if {
	inp := one("gcp", {"compute": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
