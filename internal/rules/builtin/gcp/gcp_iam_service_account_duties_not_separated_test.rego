package vigil.rules.gcp_iam_service_account_duties_not_separated_test

import data.vigil.rules.gcp_iam_service_account_duties_not_separated as rule

binding(id, member, role, scope) := {"id": id, "provider": "gcp", "type": "iam.googleapis.com/Binding", "facts": {"binding": {
	"principal": member, "principal_type": "user", "role": role, "scope": scope, "scope_level": "account",
}}}

inp(bs) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_binding": bs}}

test_fail_both_roles_same_project if {
	i := inp([
		binding("r1", "user:alice@example.com", "roles/iam.serviceAccountAdmin", "//cloudresourcemanager.googleapis.com/projects/p1"),
		binding("r2", "user:alice@example.com", "roles/iam.serviceAccountUser", "//cloudresourcemanager.googleapis.com/projects/p1"),
	])
	"r1" in rule.fail with input as i
	"r2" in rule.fail with input as i
	rule.message.r1 == "user:alice@example.com also holds roles/iam.serviceAccountUser on the same scope" with input as i
}

test_pass_roles_split_between_members if {
	i := inp([
		binding("r1", "user:alice@example.com", "roles/iam.serviceAccountAdmin", "//cloudresourcemanager.googleapis.com/projects/p1"),
		binding("r2", "user:bob@example.com", "roles/iam.serviceAccountUser", "//cloudresourcemanager.googleapis.com/projects/p1"),
	])
	not "r1" in rule.fail with input as i
}

test_pass_roles_on_different_projects if {
	i := inp([
		binding("r1", "user:alice@example.com", "roles/iam.serviceAccountAdmin", "//cloudresourcemanager.googleapis.com/projects/p1"),
		binding("r2", "user:alice@example.com", "roles/iam.serviceAccountUser", "//cloudresourcemanager.googleapis.com/projects/p2"),
	])
	not "r1" in rule.fail with input as i
	not "r2" in rule.fail with input as i
}

test_unknown_when_role_absent if {
	i := inp([{"id": "r1", "provider": "gcp", "type": "iam.googleapis.com/Binding", "facts": {"binding": {"principal": "user:alice@example.com", "scope": "p1"}}}])
	not "r1" in rule.fail with input as i
}
