package vigil.rules.azure_entra_user_without_mfa_test

import data.vigil.rules.azure_entra_user_without_mfa as rule

one(identity) := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{
	"id": "r1", "provider": "azure", "type": "microsoft.graph.user",
	"facts": {"identity": object.union({"kind": "user"}, identity)},
}]}}

test_fail_user_without_mfa if {
	"r1" in rule.fail with input as one({"mfa_enabled": false, "disabled": false})
}

test_fail_guest_without_mfa_enabled_unknown if {
	"r1" in rule.fail with input as one({"mfa_enabled": false, "guest": true})
}

test_pass_user_with_mfa if {
	inp := one({"mfa_enabled": true, "disabled": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_registration_not_exported if {
	inp := one({"disabled": false, "guest": false})
	not "r1" in rule.fail with input as inp
}

test_skip_disabled_user if {
	inp := one({"mfa_enabled": false, "disabled": true})
	not "r1" in rule.fail with input as inp
}
