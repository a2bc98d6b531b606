package vigil.rules.compute_user_data_secrets_test

import data.vigil.rules.compute_user_data_secrets as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": "T", "facts": facts}]}}

test_fail_secret_in_user_data if {
	inp := one("aws", {"compute": {"user_data_secrets": true, "user_data_secret_names": ["AWS_SECRET_ACCESS_KEY", "DB_PASSWORD"]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "the boot script assigns AWS_SECRET_ACCESS_KEY, DB_PASSWORD in the clear" with input as inp
}

test_fail_secret_without_names if {
	inp := one("gcp", {"compute": {"user_data_secrets": true}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "the boot script holds a credential in the clear" with input as inp
}

test_pass_clean_script if {
	not "r1" in rule.fail with input as one("azure", {"compute": {"user_data_secrets": false}})
}

test_unknown_when_absent if {
	not "r1" in rule.fail with input as one("aws", {"compute": {"public_ip": false}})
}
