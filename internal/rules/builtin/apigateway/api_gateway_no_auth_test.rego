package vigil.rules.api_gateway_no_auth_test

import data.vigil.rules.api_gateway_no_auth as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"api_gateway": [{"id": "r1", "provider": provider, "type": type, "facts": {"api_gateway": facts}}]}}

test_fail_rest_method_none if {
	"r1" in rule.fail with input as one("aws", {"auth_required": false, "public": true})
}

test_fail_apim_open_api if {
	"r1" in rule.fail with input as one("azure", {"auth_required": false})
}

test_fail_gcp_operation_no_security if {
	"r1" in rule.fail with input as one("gcp", {"auth_required": false})
}

test_pass_authorized if {
	inp := one("aws", {"auth_required": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_methods_not_exported if {
	inp := one("azure", {"public": true})
	not "r1" in rule.fail with input as inp
}
