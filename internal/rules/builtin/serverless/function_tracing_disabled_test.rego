package vigil.rules.function_tracing_disabled_test

import data.vigil.rules.function_tracing_disabled as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_pass_through if {
	"r1" in rule.fail with input as one("aws", {"tracing": false})
}

test_pass_active if {
	inp := one("aws", {"tracing": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_tracing_not_exported if {
	inp := one("aws", {"runtime": "python3.12"})
	not "r1" in rule.fail with input as inp
}
