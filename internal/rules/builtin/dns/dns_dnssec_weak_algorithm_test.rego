package vigil.rules.dns_dnssec_weak_algorithm_test

import data.vigil.rules.dns_dnssec_weak_algorithm as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"dns_zone": [{"id": "r1", "provider": provider, "type": type, "facts": {"dns": facts}}]}}

test_fail_rsasha1 if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "dnssec": true, "dnssec_algorithm": "rsasha1"})
}

test_pass_rsasha256 if {
	inp := one("gcp", {"public": true, "dnssec": true, "dnssec_algorithm": "rsasha256"})
	not "r1" in rule.fail with input as inp
}

test_skip_unsigned if {
	inp := one("gcp", {"public": true, "dnssec": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_algorithm_not_exported if {
	inp := one("gcp", {"public": true, "dnssec": true})
	not "r1" in rule.fail with input as inp
}
