package vigil.rules.function_env_secrets_test

import data.vigil.rules.function_env_secrets as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_lambda_db_password if {
	"r1" in rule.fail with input as one("aws", {"environment_secrets": true, "secret_variables": ["DB_PASSWORD"]})
}

test_fail_cloud_function_token if {
	"r1" in rule.fail with input as one("gcp", {"environment_secrets": true})
}

test_fail_function_app_setting if {
	"r1" in rule.fail with input as one("azure", {"environment_secrets": true, "secret_variables": ["API_KEY"]})
}

test_pass_no_secrets if {
	inp := one("gcp", {"environment_secrets": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_environment_not_exported if {
	inp := one("aws", {"runtime": "python3.12"})
	not "r1" in rule.fail with input as inp
}
