package vigil.rules.api_gateway_logging_test

import data.vigil.rules.api_gateway_logging as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"api_gateway": [{"id": "r1", "provider": provider, "type": type, "facts": {"api_gateway": facts}}]}}

test_fail_stage_no_logs if {
	"r1" in rule.fail with input as one("aws", {"logging": false})
}

test_fail_apim_no_diagnostics if {
	"r1" in rule.fail with input as one("azure", {"logging": false})
}

test_fail_gcp_gateway_no_logs if {
	"r1" in rule.fail with input as one("gcp", {"logging": false})
}

test_pass_logged if {
	inp := one("aws", {"logging": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_logging_not_exported if {
	inp := one("gcp", {"public": true})
	not "r1" in rule.fail with input as inp
}
