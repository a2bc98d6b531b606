package vigil.rules.api_gateway_weak_tls_test

import data.vigil.rules.api_gateway_weak_tls as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"api_gateway": [{"id": "r1", "provider": provider, "type": type, "facts": {"api_gateway": facts}}]}}

test_fail_tls_1_0_policy if {
	"r1" in rule.fail with input as one("aws", {"min_tls_version": "TLS_1_0"})
}

test_fail_apim_tls10_enabled if {
	"r1" in rule.fail with input as one("azure", {"min_tls_version": "1.0", "public": true})
}

test_pass_tls12 if {
	inp := one("azure", {"min_tls_version": "1.2"})
	not "r1" in rule.fail with input as inp
}

test_unknown_protocols_not_exported if {
	inp := one("azure", {"public": false})
	not "r1" in rule.fail with input as inp
}
