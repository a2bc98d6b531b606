package vigil.rules.azure_databricks_public_network_access_test

import data.vigil.rules.azure_databricks_public_network_access as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces", "facts": facts}]}}

test_fail_public if {
	"r1" in rule.fail with input as one({"database": {"public_endpoint": true}})
}

test_pass_private if {
	not "r1" in rule.fail with input as one({"database": {"public_endpoint": false}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"engine": "databricks"}})
}
