package vigil.rules.azure_databricks_no_cmk_test

import data.vigil.rules.azure_databricks_no_cmk as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces", "facts": facts}]}}

test_fail_platform_keys if {
	"r1" in rule.fail with input as one({"database": {"key_manager": "provider"}})
}

test_pass_customer_key if {
	not "r1" in rule.fail with input as one({"database": {"key_manager": "customer"}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"engine": "databricks"}})
}
