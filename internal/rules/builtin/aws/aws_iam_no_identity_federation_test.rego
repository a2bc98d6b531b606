package vigil.rules.aws_iam_no_identity_federation_test

import data.vigil.rules.aws_iam_no_identity_federation as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_no_saml_provider if {
	"r1" in rule.fail with input as one({"saml_provider": false})
}

test_pass_identity_center if {
	not "r1" in rule.fail with input as one({"saml_provider": true})
}

test_unknown_without_listing if {
	not "r1" in rule.fail with input as one({"support_role": true})
}
