package vigil.rules.test_bucket_public_test

import data.vigil.rules.test_bucket_public as rule

test_fail_public if {
	{"id": "b1", "message": "b1 is public"} in rule.fail with input as {"resources": {"object_storage": [{"id": "b1", "name": "b1", "facts": {"storage": {"public_access": true}}}]}}
}

test_pass_private if {
	"b1" in rule.pass with input as {"resources": {"object_storage": [{"id": "b1", "facts": {"storage": {"public_access": false}}}]}}
}
