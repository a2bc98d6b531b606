package vigil.rules.iam_primitive_role_broad_test

import data.vigil.rules.iam_primitive_role_broad as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_gcp_user_owner_on_project if {
	inp := one("gcp", {"binding": {"principal": "user:alice@example.com", "role": "roles/owner", "primitive": true, "scope_level": "account"}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "roles/owner is granted to user:alice@example.com at account scope" with input as inp
}

test_fail_azure_group_owner_on_subscription if {
	"r1" in rule.fail with input as one("azure", {"binding": {"principal": "0f1e", "principal_type": "Group", "role": "/providers/Microsoft.Authorization/roleDefinitions/8e3af657", "role_name": "Owner", "primitive": true, "scope_level": "account"}})
}

test_pass_predefined_role if {
	inp := one("gcp", {"binding": {"principal": "user:alice@example.com", "principal_type": "user", "role": "roles/storage.objectViewer", "primitive": false, "scope_level": "account"}})
	not "r1" in rule.fail with input as inp
}

test_pass_owner_on_resource_group if {
	inp := one("azure", {"binding": {"principal": "1a2b", "principal_type": "User", "role_name": "Owner", "primitive": true, "scope_level": "resource_group"}})
	not "r1" in rule.fail with input as inp
}

test_pass_service_account_editor_is_other_rule if {
	not "r1" in rule.fail with input as one("gcp", {"binding": {"principal": "serviceAccount:ci@p.iam.gserviceaccount.com", "principal_type": "serviceAccount", "role": "roles/editor", "primitive": true, "scope_level": "account"}})
}

test_unknown_without_primitive_fact if {
	inp := one("gcp", {"binding": {"principal": "user:alice@example.com", "role": "roles/owner"}})
	not "r1" in rule.fail with input as inp
}

test_unknown_scope_level_absent if {
	inp := one("azure", {"binding": {"principal": "1a2b", "principal_type": "User", "primitive": true}})
	not "r1" in rule.fail with input as inp
}
