package vigil.rules.cdn_waf_test

import data.vigil.rules.cdn_waf as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"cdn": [{"id": "r1", "provider": provider, "type": type, "facts": {"cdn": facts}}]}}

test_fail_cloudfront_no_web_acl if {
	"r1" in rule.fail with input as one("aws", {"waf": false})
}

test_fail_front_door_no_policy if {
	"r1" in rule.fail with input as one("azure", {"waf": false})
}

test_fail_cloud_cdn_no_armor if {
	"r1" in rule.fail with input as one("gcp", {"waf": false})
}

test_pass_protected if {
	inp := one("azure", {"waf": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_waf_not_exported if {
	inp := one("gcp", {"viewer_https_only": true})
	not "r1" in rule.fail with input as inp
}
