package vigil.rules.dns_query_logging_test

import data.vigil.rules.dns_query_logging as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"dns_zone": [{"id": "r1", "provider": provider, "type": type, "facts": {"dns": facts}}]}}

test_fail_route53_no_query_log if {
	"r1" in rule.fail with input as one("aws", {"public": true, "query_logging": false})
}

test_fail_cloud_dns_no_logging if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "query_logging": false})
}

test_pass_logged if {
	inp := one("aws", {"public": true, "query_logging": true})
	not "r1" in rule.fail with input as inp
}

test_skip_private_zone if {
	inp := one("gcp", {"public": false, "query_logging": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_logging_not_exported if {
	inp := one("gcp", {"public": true})
	not "r1" in rule.fail with input as inp
}
