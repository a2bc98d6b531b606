package vigil.rules.iam_role_external_trust_without_external_id_test

import data.vigil.rules.iam_role_external_trust_without_external_id as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": {"identity": facts}}]}}

test_fail_vendor_account if {
	"r1" in rule.fail with input as {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{"id": "r1", "provider": "aws", "account": "111122223333", "type": "AWS::IAM::Role", "facts": {"identity": {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "id": "arn:aws:iam::999988887777:root"}]}]}}}}]}}
}

test_pass_vendor_with_external_id if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{"id": "r1", "provider": "aws", "account": "111122223333", "type": "AWS::IAM::Role", "facts": {"identity": {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "id": "999988887777"}], "conditions": [{"operator": "StringEquals", "key": "sts:ExternalId", "values": ["nw-7f3a"]}]}]}}}}]}}
	not "r1" in rule.fail with input as inp
}

test_pass_same_account if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"identity": [{"id": "r1", "provider": "aws", "account": "111122223333", "type": "AWS::IAM::Role", "facts": {"identity": {"kind": "role", "trust_policy": {"statements": [{"effect": "Allow", "actions": ["sts:AssumeRole"], "principals": [{"type": "AWS", "id": "arn:aws:iam::111122223333:role/ci"}]}]}}}}]}}
	not "r1" in rule.fail with input as inp
}

test_skip_not_a_role if {
	inp := one("aws", {"kind": "user"})
	not "r1" in rule.fail with input as inp
}

test_unknown_trust_policy_not_exported if {
	inp := one("aws", {"kind": "role"})
	not "r1" in rule.fail with input as inp
}
