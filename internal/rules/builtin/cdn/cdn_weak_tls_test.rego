package vigil.rules.cdn_weak_tls_test

import data.vigil.rules.cdn_weak_tls as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"cdn": [{"id": "r1", "provider": provider, "type": type, "facts": {"cdn": facts}}]}}

test_fail_cloudfront_tlsv1 if {
	"r1" in rule.fail with input as one("aws", {"min_tls_version": "1.0"})
}

test_fail_front_door_tls10 if {
	"r1" in rule.fail with input as one("azure", {"min_tls_version": "1.0"})
}

test_fail_ssl_policy_tls11 if {
	"r1" in rule.fail with input as one("gcp", {"min_tls_version": "1.1"})
}

test_pass_tls12 if {
	inp := one("aws", {"min_tls_version": "1.2"})
	not "r1" in rule.fail with input as inp
}

test_unknown_tls_not_exported if {
	inp := one("azure", {"waf": true})
	not "r1" in rule.fail with input as inp
}
