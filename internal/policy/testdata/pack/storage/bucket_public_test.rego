package vigil.rules.test_bucket_public_test

import data.vigil.rules.test_bucket_public as rule

one(provider, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{"id": "b1", "name": "b1", "provider": provider, "facts": facts}]}}

test_fail_public if {
	"b1" in rule.fail with input as one("aws", {"storage": {"public_access": true}})
	rule.message.b1 == "b1 is public" with input as one("aws", {"storage": {"public_access": true}})
}

test_pass_private if {
	inp := one("gcp", {"storage": {"public_access": false}})
	not "b1" in rule.fail with input as inp
}

test_unknown_absent if {
	not "b1" in rule.fail with input as one("aws", {"storage": {"encrypted": true}})
}
