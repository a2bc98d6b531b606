package vigil.rules.cdn_origin_access_control_test

import data.vigil.rules.cdn_origin_access_control as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"cdn": [{"id": "r1", "provider": provider, "type": type, "facts": {"cdn": facts}}]}}

test_fail_public_bucket_origin if {
	"r1" in rule.fail with input as one("aws", {"origin_access_control": false})
}

test_pass_oac if {
	inp := one("aws", {"origin_access_control": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_custom_origin if {
	inp := one("aws", {"origin_https_only": true})
	not "r1" in rule.fail with input as inp
}
