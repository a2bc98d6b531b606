package vigil.rules.azure_user_access_admin_assigned_test

import data.vigil.rules.azure_user_access_admin_assigned as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": {"binding": facts}}]}}

test_fail_uaa_at_root if {
	"r1" in rule.fail with input as one("azure", {"principal": "7a1b", "principal_type": "User", "role": "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "role_name": "User Access Administrator", "scope": "/", "scope_level": "organization"})
}

test_fail_uaa_on_subscription_by_id if {
	"r1" in rule.fail with input as one("azure", {"principal": "7a1b", "role": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "scope": "/subscriptions/s", "scope_level": "account"})
}

test_pass_uaa_on_resource_group if {
	inp := one("azure", {"principal": "7a1b", "role": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", "role_name": "User Access Administrator", "scope": "/subscriptions/s/resourceGroups/rg", "scope_level": "resource_group"})
	not "r1" in rule.fail with input as inp
}

test_pass_reader_on_subscription if {
	inp := one("azure", {"principal": "7a1b", "role": "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "role_name": "Reader", "scope": "/subscriptions/s", "scope_level": "account"})
	not "r1" in rule.fail with input as inp
}

test_skip_deny_assignment if {
	inp := one("azure", {"principal": "00000000-0000-0000-0000-000000000000", "role": "", "role_name": "deny-delete", "scope": "/subscriptions/s", "scope_level": "account", "deny": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_scope_level_not_known if {
	inp := one("azure", {"principal": "7a1b", "role": "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7", "scope": "x"})
	not "r1" in rule.fail with input as inp
}
