package vigil.rules.azure_disabled_user_has_rbac_role_test

import data.vigil.rules.azure_disabled_user_has_rbac_role as rule

one(identity) := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{
	"id": "r1", "provider": "azure", "type": "microsoft.graph.user",
	"facts": {"identity": object.union({"kind": "user"}, identity)},
}]}}

test_fail_disabled_user_with_roles if {
	"r1" in rule.fail with input as one({"disabled": true, "azure_roles": true})
}

test_pass_disabled_user_without_roles if {
	inp := one({"disabled": true, "azure_roles": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_role_assignments_not_exported if {
	inp := one({"disabled": true})
	not "r1" in rule.fail with input as inp
}

test_skip_enabled_user if {
	inp := one({"disabled": false, "azure_roles": true})
	not "r1" in rule.fail with input as inp
}
