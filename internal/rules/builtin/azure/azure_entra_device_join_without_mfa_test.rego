package vigil.rules.azure_entra_device_join_without_mfa_test

import data.vigil.rules.azure_entra_device_join_without_mfa as rule

one(tenant) := {"now": "2026-11-24T00:00:00Z", "resources": {"org_unit": [{
	"id": "r1", "provider": "azure", "type": "microsoft.graph.organization",
	"facts": {"org_unit": {"kind": "tenant", "tenant": tenant}},
}]}}

test_fail_not_required if {
	"r1" in rule.fail with input as one({"device_join_mfa": false, "conditional_access_device_mfa": false})
}

test_pass_required if {
	inp := one({"device_join_mfa": true})
	not "r1" in rule.fail with input as inp
}

test_pass_conditional_access_user_action if {
	inp := one({"device_join_mfa": false, "conditional_access_device_mfa": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_policy_not_exported if {
	inp := one({"security_defaults": true})
	not "r1" in rule.fail with input as inp
}
