package vigil.rules.group_inline_admin_policy_test

import data.vigil.rules.group_inline_admin_policy as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"group": [{"id": "r1", "provider": provider, "type": type, "facts": {"group": facts}}]}}

test_fail_inline_admin if {
	"r1" in rule.fail with input as one("aws", {"inline_documents": [{"name": "full", "document": {"statements": [{"effect": "Allow", "actions": ["*"], "resources": ["*"]}]}}]})
}

test_pass_managed_admin_only if {
	inp := one("aws", {"admin": true, "attached_policies": ["arn:aws:iam::aws:policy/AdministratorAccess"]})
	not "r1" in rule.fail with input as inp
}

test_pass_scoped_inline if {
	inp := one("aws", {"inline_documents": [{"name": "ro", "document": {"statements": [{"effect": "Allow", "actions": ["s3:Get*"], "resources": ["*"]}]}}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_policies_not_exported if {
	inp := one("aws", {"members": ["alice"]})
	not "r1" in rule.fail with input as inp
}
