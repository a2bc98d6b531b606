package vigil.rules.role_custom_iam_admin_test

import data.vigil.rules.role_custom_iam_admin as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"role": [{"id": "r1", "provider": provider, "type": type, "facts": {"role": facts}}]}}

test_fail_azure_role_assignments_write if {
	"r1" in rule.fail with input as one("azure", {"custom": true, "permissions": [{"actions": ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Compute/*/read"]}]})
}

test_fail_azure_authorization_wildcard if {
	"r1" in rule.fail with input as one("azure", {"custom": true, "permissions": [{"actions": ["Microsoft.Authorization/*"]}]})
}

test_fail_azure_flat_actions if {
	"r1" in rule.fail with input as one("azure", {"custom": true, "actions": ["*"]})
}

test_fail_gcp_set_project_policy if {
	"r1" in rule.fail with input as one("gcp", {"custom": true, "included_permissions": ["resourcemanager.projects.get", "resourcemanager.projects.setIamPolicy"]})
}

test_pass_azure_contributor_like if {
	inp := one("azure", {"custom": true, "permissions": [{"actions": ["*"], "not_actions": ["Microsoft.Authorization/*/Write", "Microsoft.Authorization/*/Delete"]}]})
	not "r1" in rule.fail with input as inp
}

test_pass_gcp_viewer_like if {
	inp := one("gcp", {"custom": true, "included_permissions": ["resourcemanager.projects.get", "resourcemanager.projects.getIamPolicy"]})
	not "r1" in rule.fail with input as inp
}

test_pass_builtin_role if {
	inp := one("azure", {"custom": false, "permissions": [{"actions": ["*"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_permissions_not_exported if {
	inp := one("gcp", {"custom": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_custom_not_exported if {
	inp := one("azure", {"permissions": [{"actions": ["Microsoft.Storage/*/read"]}]})
	not "r1" in rule.fail with input as inp
}
