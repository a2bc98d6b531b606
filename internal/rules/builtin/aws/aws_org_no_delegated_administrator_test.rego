package vigil.rules.aws_org_no_delegated_administrator_test

import data.vigil.rules.aws_org_no_delegated_administrator as rule

one(org) := {"resources": {"org_unit": [{"id": "o1", "provider": "aws", "type": "AWS::Organizations::Organization", "facts": {"org_unit": org}}]}}

test_fail_none if {
	"o1" in rule.fail with input as one({"kind": "organization", "delegated_administration": false})
}

test_pass_one if {
	not "o1" in rule.fail with input as one({"kind": "organization", "delegated_administration": true, "delegated_administrators": ["222222222222"]})
}

test_unknown_without_listing if {
	not "o1" in rule.fail with input as one({"kind": "organization"})
}
