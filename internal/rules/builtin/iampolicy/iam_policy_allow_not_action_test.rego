package vigil.rules.iam_policy_allow_not_action_test

import data.vigil.rules.iam_policy_allow_not_action as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_policy": [{"id": "r1", "provider": provider, "type": type, "facts": {"policy": facts}}]}}

test_fail_allow_not_action if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "not_actions": ["iam:*"], "resources": ["*"]}]}})
}

test_pass_deny_not_action if {
	inp := one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Deny", "not_actions": ["iam:*"], "resources": ["*"]}, {"effect": "Allow", "actions": ["s3:GetObject"], "resources": ["*"]}]}})
	not "r1" in rule.fail with input as inp
}

test_pass_allow_not_action_on_one_bucket if {
	inp := one("aws", {"managed": "inline", "document": {"statements": [{"effect": "Allow", "not_actions": ["s3:DeleteBucket"], "resources": ["arn:aws:s3:::b"]}]}})
	not "r1" in rule.fail with input as inp
}

test_skip_aws_managed if {
	inp := one("aws", {"managed": "aws", "document": {"statements": [{"effect": "Allow", "not_actions": ["iam:*"], "resources": ["*"]}]}})
	not "r1" in rule.fail with input as inp
}

test_unknown_document_absent if {
	inp := one("aws", {"managed": "customer", "admin": false})
	not "r1" in rule.fail with input as inp
}
