package vigil.rules.cdn_http_allowed_test

import data.vigil.rules.cdn_http_allowed as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"cdn": [{"id": "r1", "provider": provider, "type": type, "facts": {"cdn": facts}}]}}

test_fail_cloudfront_allow_all if {
	"r1" in rule.fail with input as one("aws", {"viewer_https_only": false})
}

test_fail_front_door_http if {
	"r1" in rule.fail with input as one("azure", {"viewer_https_only": false, "waf": false})
}

test_fail_cloud_cdn_http_frontend if {
	"r1" in rule.fail with input as one("gcp", {"viewer_https_only": false})
}

test_pass_redirect if {
	inp := one("azure", {"viewer_https_only": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_routes_not_exported if {
	inp := one("aws", {"waf": true})
	not "r1" in rule.fail with input as inp
}
