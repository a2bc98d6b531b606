package vigil.rules.iam_role_trust_anyone_test

import data.vigil.rules.iam_role_trust_anyone as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": {"identity": facts}}]}}

test_fail_principal_star if {
	"r1" in rule.fail with input as one("aws", {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "*", "id": "*"}]}]}})
}

test_fail_aws_star if {
	"r1" in rule.fail with input as one("aws", {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "id": "*"}]}]}})
}

test_pass_restricted_to_organization if {
	inp := one("aws", {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "id": "*"}], "conditions": [{"operator": "StringEquals", "key": "aws:PrincipalOrgID", "values": ["o-abc123"]}]}]}})
	not "r1" in rule.fail with input as inp
}

test_pass_service_principal if {
	inp := one("aws", {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "Service", "id": "lambda.amazonaws.com"}]}]}})
	not "r1" in rule.fail with input as inp
}

test_skip_user if {
	inp := one("aws", {"kind": "user", "console_access": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_trust_policy_not_exported if {
	inp := one("aws", {"kind": "role", "admin": false})
	not "r1" in rule.fail with input as inp
}
