package vigil.rules.azure_entra_security_defaults_disabled_test

import data.vigil.rules.azure_entra_security_defaults_disabled as rule

one(tenant) := {"now": "2026-11-24T00:00:00Z", "resources": {"org_unit": [{
	"id": "r1", "provider": "azure", "type": "microsoft.graph.organization",
	"facts": {"org_unit": {"kind": "tenant", "tenant": tenant}},
}]}}

test_fail_security_defaults_off_no_conditional_access if {
	"r1" in rule.fail with input as one({"security_defaults": false, "conditional_access_mfa": false})
}

test_fail_security_defaults_off_conditional_access_not_read if {
	"r1" in rule.fail with input as one({"security_defaults": false})
}

test_pass_security_defaults_on if {
	inp := one({"security_defaults": true, "conditional_access_mfa": false})
	not "r1" in rule.fail with input as inp
}

test_pass_conditional_access_requires_mfa if {
	inp := one({"security_defaults": false, "conditional_access_mfa": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_policy_not_exported if {
	inp := one({"device_join_mfa": true, "conditional_access_mfa": false})
	not "r1" in rule.fail with input as inp
}
