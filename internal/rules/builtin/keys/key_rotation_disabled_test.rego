package vigil.rules.key_rotation_disabled_test

import data.vigil.rules.key_rotation_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"key": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_aws_cmk_without_rotation if {
	"r1" in rule.fail with input as one("aws", {"key": {"customer_managed": true, "symmetric": true, "rotation_enabled": false}})
}

test_fail_gcp_period_over_90_days if {
	inp := one("gcp", {"key": {"rotation_enabled": true, "rotation_period_days": 365}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "rotation period is 365 days (maximum 90)" with input as inp
}

test_fail_azure_no_rotation_policy if {
	"r1" in rule.fail with input as one("azure", {"key": {"rotation_enabled": false}})
}

test_pass_aws_yearly_rotation if {
	inp := one("aws", {"key": {"customer_managed": true, "symmetric": true, "rotation_enabled": true, "rotation_period_days": 365}})
	not "r1" in rule.fail with input as inp
}

test_pass_gcp_90_days if {
	not "r1" in rule.fail with input as one("gcp", {"key": {"customer_managed": true, "rotation_enabled": true, "rotation_period_days": 90}})
}

test_skip_aws_managed_key if {
	inp := one("aws", {"key": {"customer_managed": false, "rotation_enabled": false}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}

test_skip_asymmetric_and_disabled_keys if {
	"r1" in rule.skip with input as one("aws", {"key": {"customer_managed": true, "symmetric": false, "rotation_enabled": false}})
	"r1" in rule.skip with input as one("gcp", {"key": {"enabled": false, "rotation_enabled": false}})
}

test_fail_azure_rsa_key_without_rotation if {
	"r1" in rule.fail with input as one("azure", {"key": {"customer_managed": true, "symmetric": false, "enabled": true, "rotation_enabled": false}})
}

test_unknown_aws_key_manager_absent if {
	inp := one("aws", {"key": {"rotation_enabled": false}})
	not "r1" in rule.skip with input as inp
	not "r1" in rule.fail with input as inp
}

test_unknown_rotation_absent if {
	inp := one("gcp", {"key": {"enabled": true}})
	not "r1" in rule.fail with input as inp
}

# custom.requires cannot depend on the provider: a key of any cloud needs its
# customer_managed fact (the Azure and GCP importers always set it).
test_unknown_customer_managed_absent if {
	inp := one("azure", {"key": {"enabled": true, "rotation_enabled": true}})
	not "r1" in rule.skip with input as inp
	not "r1" in rule.fail with input as inp
}
