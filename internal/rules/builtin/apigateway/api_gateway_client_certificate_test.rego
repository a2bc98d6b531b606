package vigil.rules.api_gateway_client_certificate_test

import data.vigil.rules.api_gateway_client_certificate as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"api_gateway": [{"id": "r1", "provider": provider, "type": type, "facts": {"api_gateway": facts}}]}}

test_fail_no_certificate if {
	"r1" in rule.fail with input as one("aws", {"client_certificate": false})
}

test_pass_certificate if {
	inp := one("aws", {"client_certificate": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_certificate_not_exported if {
	inp := one("aws", {"logging": true})
	not "r1" in rule.fail with input as inp
}
