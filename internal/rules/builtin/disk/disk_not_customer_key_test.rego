package vigil.rules.disk_not_customer_key_test

import data.vigil.rules.disk_not_customer_key as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"disk": [{"id": "r1", "provider": provider, "type": type, "facts": {"disk": facts}}]}}

test_fail_provider_key_azure if {
	"r1" in rule.fail with input as one("azure", {"encrypted": true, "key_manager": "provider"})
}

test_fail_provider_key_gcp if {
	"r1" in rule.fail with input as one("gcp", {"encrypted": true, "key_manager": "provider"})
}

test_fail_provider_key_aws if {
	"r1" in rule.fail with input as one("aws", {"encrypted": true, "key_manager": "provider"})
}

test_pass_customer_key if {
	inp := one("azure", {"encrypted": true, "key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}

test_unknown_key_manager_not_exported if {
	inp := one("gcp", {"encrypted": true})
	not "r1" in rule.fail with input as inp
}

test_skip_efs if {
	not "r1" in rule.fail with input as typed("aws", "AWS::EFS::FileSystem", {"encrypted": false, "attached": false, "key_manager": "provider"})
}
