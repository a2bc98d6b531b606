package vigil.rules.gcp_service_account_admin_test

import data.vigil.rules.gcp_service_account_admin as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

sa := "serviceAccount:app@proj.iam.gserviceaccount.com"

test_fail_editor_on_project if {
	"r1" in rule.fail with input as one("gcp", {"binding": {"principal": sa, "principal_type": "serviceAccount", "role": "roles/editor", "scope_level": "account"}})
}

test_fail_admin_role if {
	inp := one("gcp", {"binding": {"principal": sa, "principal_type": "serviceAccount", "role": "roles/iam.securityAdmin", "scope_level": "organization"}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == sprintf("%s holds roles/iam.securityAdmin at organization scope", [sa]) with input as inp
}

test_pass_narrow_role if {
	inp := one("gcp", {"binding": {"principal": sa, "principal_type": "serviceAccount", "role": "roles/storage.objectViewer", "scope_level": "account"}})
	not "r1" in rule.fail with input as inp
}

test_pass_admin_on_single_resource if {
	inp := one("gcp", {"binding": {"principal": sa, "principal_type": "serviceAccount", "role": "roles/storage.admin", "scope_level": "resource"}})
	not "r1" in rule.fail with input as inp
}

test_skip_users if {
	inp := one("gcp", {"binding": {"principal": "user:bob@example.com", "role": "roles/owner", "scope_level": "account"}})
	not "r1" in rule.fail with input as inp
}

test_unknown_scope_absent if {
	inp := one("gcp", {"binding": {"principal": sa, "principal_type": "serviceAccount", "role": "roles/owner"}})
	not "r1" in rule.fail with input as inp
}

test_skip_principal_kind_unknown if {
	inp := one("gcp", {"binding": {"principal": "0000-guid", "role": "roles/owner", "scope_level": "account"}})
	not "r1" in rule.fail with input as inp
}

# The engine gives the rule only grants whose principal_type is
# serviceAccount (custom.applies_to), as the GCP importer sets it from the
# member's prefix.
test_skip_principal_type_absent if {
	inp := one("gcp", {"binding": {"principal": sa, "role": "roles/owner", "scope_level": "account"}})
	not "r1" in rule.fail with input as inp
}
