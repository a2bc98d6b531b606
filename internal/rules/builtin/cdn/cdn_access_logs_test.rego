package vigil.rules.cdn_access_logs_test

import data.vigil.rules.cdn_access_logs as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"cdn": [{"id": "r1", "provider": provider, "type": type, "facts": {"cdn": facts}}]}}

test_fail_cloudfront_no_logging if {
	"r1" in rule.fail with input as one("aws", {"access_logs": false})
}

test_fail_cloud_cdn_no_logging if {
	"r1" in rule.fail with input as one("gcp", {"access_logs": false})
}

test_pass_logging if {
	inp := one("aws", {"access_logs": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_logging_not_exported if {
	inp := one("gcp", {"waf": true})
	not "r1" in rule.fail with input as inp
}
