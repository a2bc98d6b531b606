package vigil.rules.cdn_origin_http_test

import data.vigil.rules.cdn_origin_http as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"cdn": [{"id": "r1", "provider": provider, "type": type, "facts": {"cdn": facts}}]}}

test_fail_cloudfront_match_viewer if {
	"r1" in rule.fail with input as one("aws", {"origin_https_only": false})
}

test_fail_front_door_match_request if {
	"r1" in rule.fail with input as one("azure", {"origin_https_only": false})
}

test_fail_backend_service_http if {
	"r1" in rule.fail with input as one("gcp", {"origin_https_only": false})
}

test_pass_https_only if {
	inp := one("azure", {"origin_https_only": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_origin_not_exported if {
	inp := one("aws", {"waf": false})
	not "r1" in rule.fail with input as inp
}
