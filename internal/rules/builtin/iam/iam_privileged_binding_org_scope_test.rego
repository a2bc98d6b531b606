package vigil.rules.iam_privileged_binding_org_scope_test

import data.vigil.rules.iam_privileged_binding_org_scope as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": {"binding": facts}}]}}

test_fail_gcp_owner_on_organization if {
	"r1" in rule.fail with input as one("gcp", {"principal": "user:alice@example.com", "role": "roles/owner", "scope": "//cloudresourcemanager.googleapis.com/organizations/123", "scope_level": "organization", "privileged": true})
}

test_fail_gcp_owner_on_folder if {
	"r1" in rule.fail with input as one("gcp", {"principal": "group:ops@example.com", "role": "roles/owner", "scope": "folders/456", "scope_level": "folder", "privileged": true})
}

test_fail_azure_owner_at_root if {
	"r1" in rule.fail with input as one("azure", {"principal": "0f1e", "principal_type": "User", "role": "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635", "role_name": "Owner", "scope": "/", "scope_level": "organization", "privileged": true})
}

test_pass_owner_on_project if {
	inp := one("gcp", {"principal": "user:alice@example.com", "role": "roles/owner", "scope": "projects/p", "scope_level": "account", "privileged": true})
	not "r1" in rule.fail with input as inp
}

test_pass_reader_on_management_group if {
	inp := one("azure", {"principal": "0f1e", "role": "r", "role_name": "Reader", "scope": "/providers/Microsoft.Management/managementGroups/mg", "scope_level": "organization", "privileged": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_privilege_not_known if {
	inp := one("gcp", {"principal": "user:a@example.com", "role": "roles/custom.x", "scope": "organizations/1", "scope_level": "organization"})
	not "r1" in rule.fail with input as inp
}
