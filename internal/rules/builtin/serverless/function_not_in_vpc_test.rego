package vigil.rules.function_not_in_vpc_test

import data.vigil.rules.function_not_in_vpc as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_lambda_outside_vpc if {
	"r1" in rule.fail with input as one("aws", {"in_vpc": false})
}

test_fail_function_app_no_vnet if {
	"r1" in rule.fail with input as one("azure", {"in_vpc": false, "https_only": false})
}

test_pass_connector if {
	inp := one("gcp", {"in_vpc": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_network_not_exported if {
	inp := one("aws", {"runtime": "java21"})
	not "r1" in rule.fail with input as inp
}
