package vigil.rules.azure_databricks_no_vnet_injection_test

import data.vigil.rules.azure_databricks_no_vnet_injection as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces", "facts": facts}]}}

test_fail_managed_vnet if {
	"r1" in rule.fail with input as one({"database": {"databricks": {"vnet_injection": false}}})
}

test_pass_injected if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {"vnet_injection": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {}}})
}
