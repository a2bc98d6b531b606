package vigil.rules.azure_databricks_no_private_endpoint_test

import data.vigil.rules.azure_databricks_no_private_endpoint as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces", "facts": facts}]}}

test_fail_none if {
	"r1" in rule.fail with input as one({"database": {"databricks": {"private_endpoint": false}}})
}

test_pass_approved if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {"private_endpoint": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {}}})
}
