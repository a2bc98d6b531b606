package vigil.rules.dns_dnssec_disabled_test

import data.vigil.rules.dns_dnssec_disabled as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"dns_zone": [{"id": "r1", "provider": provider, "type": type, "facts": {"dns": facts}}]}}

test_fail_route53_unsigned if {
	"r1" in rule.fail with input as one("aws", {"public": true, "dnssec": false})
}

test_fail_cloud_dns_off if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "dnssec": false})
}

test_pass_signed if {
	inp := one("gcp", {"public": true, "dnssec": true, "dnssec_algorithm": "rsasha256"})
	not "r1" in rule.fail with input as inp
}

test_skip_private_zone if {
	inp := one("aws", {"public": false, "dnssec": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_dnssec_not_exported if {
	inp := one("aws", {"public": true})
	not "r1" in rule.fail with input as inp
}
