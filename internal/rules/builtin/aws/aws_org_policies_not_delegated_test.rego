package vigil.rules.aws_org_policies_not_delegated_test

import data.vigil.rules.aws_org_policies_not_delegated as rule

one(org) := {"resources": {"org_unit": [{"id": "o1", "provider": "aws", "type": "AWS::Organizations::Organization", "facts": {"org_unit": org}}]}}

test_fail_no_delegation if {
	"o1" in rule.fail with input as one({"kind": "organization", "policy_delegation": false})
}

test_pass_delegated if {
	not "o1" in rule.fail with input as one({"kind": "organization", "policy_delegation": true})
}

test_unknown_without_resource_policy if {
	not "o1" in rule.fail with input as one({"kind": "organization", "delegated_administration": true})
}
