package vigil.rules.function_public_network_test

import data.vigil.rules.function_public_network as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_ingress_allow_all if {
	"r1" in rule.fail with input as one("gcp", {"public_network": true, "public_invocation": false})
}

test_fail_function_app_public if {
	"r1" in rule.fail with input as one("azure", {"public_network": true})
}

test_pass_internal_only if {
	inp := one("gcp", {"public_network": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_ingress_not_exported if {
	inp := one("azure", {"https_only": true})
	not "r1" in rule.fail with input as inp
}
