package vigil.rules.api_gateway_tracing_test

import data.vigil.rules.api_gateway_tracing as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"api_gateway": [{"id": "r1", "provider": provider, "type": type, "facts": {"api_gateway": facts}}]}}

test_fail_no_tracing if {
	"r1" in rule.fail with input as one("aws", {"tracing": false})
}

test_pass_tracing if {
	inp := one("aws", {"tracing": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_tracing_not_exported if {
	inp := one("aws", {"logging": true})
	not "r1" in rule.fail with input as inp
}
