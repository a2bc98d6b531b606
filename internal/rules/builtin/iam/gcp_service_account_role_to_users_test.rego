package vigil.rules.gcp_service_account_role_to_users_test

import data.vigil.rules.gcp_service_account_role_to_users as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": {"binding": facts}}]}}

test_fail_user_sa_user_on_project if {
	"r1" in rule.fail with input as one("gcp", {"principal": "user:alice@example.com", "role": "roles/iam.serviceAccountUser", "scope": "projects/p", "scope_level": "account"})
}

test_fail_group_token_creator_on_folder if {
	"r1" in rule.fail with input as one("gcp", {"principal": "group:devs@example.com", "principal_type": "group", "role": "roles/iam.serviceAccountTokenCreator", "scope": "folders/1", "scope_level": "folder"})
}

test_pass_on_one_service_account if {
	inp := one("gcp", {"principal": "user:alice@example.com", "role": "roles/iam.serviceAccountUser", "scope": "projects/p/serviceAccounts/sa@p.iam.gserviceaccount.com", "scope_level": "resource"})
	not "r1" in rule.fail with input as inp
}

test_pass_service_account_holder if {
	inp := one("gcp", {"principal": "serviceAccount:ci@p.iam.gserviceaccount.com", "role": "roles/iam.serviceAccountUser", "scope": "projects/p", "scope_level": "account"})
	not "r1" in rule.fail with input as inp
}

test_unknown_scope_level_absent if {
	inp := one("gcp", {"principal": "user:alice@example.com", "role": "roles/iam.serviceAccountUser", "scope": "projects/p"})
	not "r1" in rule.fail with input as inp
}
