package vigil.rules.aws_org_root_credentials_not_centralized_test

import data.vigil.rules.aws_org_root_credentials_not_centralized as rule

one(org) := {"resources": {"org_unit": [{"id": "o1", "provider": "aws", "type": "AWS::Organizations::Organization", "facts": {"org_unit": org}}]}}

test_fail_feature_off if {
	"o1" in rule.fail with input as one({"kind": "organization", "root_credentials_management": false})
}

test_pass_feature_on if {
	not "o1" in rule.fail with input as one({"kind": "organization", "root_credentials_management": true})
}

test_unknown_without_features if {
	not "o1" in rule.fail with input as one({"kind": "organization"})
}
