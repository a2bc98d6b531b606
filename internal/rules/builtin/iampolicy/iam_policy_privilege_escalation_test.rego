package vigil.rules.iam_policy_privilege_escalation_test

import data.vigil.rules.iam_policy_privilege_escalation as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_policy": [{"id": "r1", "provider": provider, "type": type, "facts": {"policy": facts}}]}}

test_fail_iam_star if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["iam:*"], "resources": ["*"]}]}})
}

test_fail_attach_wildcard if {
	"r1" in rule.fail with input as one("aws", {"managed": "inline", "document": {"statements": [{"effect": "Allow", "actions": ["ec2:Describe*", "iam:Attach*"], "resources": ["*"]}]}})
}

test_fail_create_policy_version if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["iam:CreatePolicyVersion"], "resources": ["*"]}]}})
}

test_pass_read_only_iam if {
	inp := one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["iam:Get*", "iam:List*"], "resources": ["*"]}]}})
	not "r1" in rule.fail with input as inp
}

test_pass_scoped_to_one_role if {
	inp := one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["iam:PutRolePolicy"], "resources": ["arn:aws:iam::111122223333:role/app"]}]}})
	not "r1" in rule.fail with input as inp
}

test_skip_aws_managed if {
	inp := one("aws", {"managed": "aws", "document": {"statements": [{"effect": "Allow", "actions": ["iam:*"], "resources": ["*"]}]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_document_absent if {
	inp := one("aws", {"managed": "customer"})
	not "r1" in rule.fail with input as inp
}

test_fail_question_mark_wildcard if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["IAM:Put?serPolicy"], "resources": ["*"]}]}})
}

test_pass_wildcard_of_other_service if {
	inp := one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["s3:Put*", "iam:Tag*"], "resources": ["*"]}]}})
	not "r1" in rule.fail with input as inp
}
