package vigil.rules.iam_policy_admin_test

import data.vigil.rules.iam_policy_admin as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_policy": [{"id": "r1", "provider": provider, "type": type, "facts": {"policy": facts}}]}}

test_fail_admin_customer_policy if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "admin": true, "attached": true, "attached_to": ["arn:aws:iam::111122223333:user/dave"]})
}

test_fail_admin_unattached_policy if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "admin": true, "attached": false})
}

test_fail_document_grants_all if {
	"r1" in rule.fail with input as one("aws", {"managed": "inline", "document": {"statements": [{"effect": "Allow", "actions": ["*"], "resources": ["*"]}]}})
}

test_pass_scoped_policy if {
	inp := one("aws", {"managed": "customer", "admin": false, "document": {"statements": [{"effect": "Allow", "actions": ["s3:GetObject"], "resources": ["arn:aws:s3:::b/*"]}]}})
	not "r1" in rule.fail with input as inp
}

test_fail_document_admin_behind_mfa if {
	"r1" in rule.fail with input as one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["*"], "resources": ["*"], "conditions": [{"operator": "Bool", "key": "aws:MultiFactorAuthPresent", "values": ["true"]}]}]}})
}

test_pass_document_allow_then_deny_all if {
	inp := one("aws", {"managed": "customer", "document": {"statements": [{"effect": "Allow", "actions": ["*:*"], "resources": ["*"]}, {"effect": "Deny", "actions": ["*"], "resources": ["*"]}]}})
	not "r1" in rule.fail with input as inp
}

test_skip_aws_managed_policy if {
	inp := one("aws", {"managed": "aws", "admin": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_document_not_parsed if {
	inp := one("aws", {"managed": "customer", "document": {"statements": null, "error": "invalid character", "raw": "{"}})
	not "r1" in rule.fail with input as inp
}
