package vigil.rules.function_public_invocation_test

import data.vigil.rules.function_public_invocation as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_lambda_principal_star if {
	"r1" in rule.fail with input as one("aws", {"runtime": "python3.12", "public_invocation": true})
}

test_fail_cloud_function_all_users if {
	"r1" in rule.fail with input as one("gcp", {"public_invocation": true})
}

test_fail_function_app_anonymous if {
	"r1" in rule.fail with input as one("azure", {"public_invocation": true})
}

test_pass_private_function if {
	inp := one("azure", {"public_invocation": false, "https_only": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_policy_not_exported if {
	inp := one("aws", {"runtime": "nodejs20.x"})
	not "r1" in rule.fail with input as inp
}
