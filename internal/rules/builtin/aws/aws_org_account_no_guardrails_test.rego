package vigil.rules.aws_org_account_no_guardrails_test

import data.vigil.rules.aws_org_account_no_guardrails as rule

one(account) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": account}}]}}

test_fail_defaults_only if {
	doc := one({"scps": {"applies": true, "levels": []}, "cis": {"org_guardrails": false}})
	"r1" in rule.fail with input as doc
	rule.message.r1 == "only the AWS-managed FullAWSAccess policies apply: no SCP or RCP of the organization's own bounds the account" with input as doc
}

test_pass_guardrail if {
	not "r1" in rule.fail with input as one({"scps": {"applies": true, "levels": []}, "cis": {"org_guardrails": true}})
}

test_unknown_incomplete if {
	not "r1" in rule.fail with input as one({"scps": {"applies": true, "levels": [], "incomplete": ["the parent of ou-x is not in the input"]}})
}
