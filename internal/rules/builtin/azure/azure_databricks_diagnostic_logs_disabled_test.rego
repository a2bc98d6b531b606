package vigil.rules.azure_databricks_diagnostic_logs_disabled_test

import data.vigil.rules.azure_databricks_diagnostic_logs_disabled as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces", "facts": facts}]}}

test_fail_no_setting if {
	"r1" in rule.fail with input as one({"database": {"databricks": {"diagnostic_logs": false}}})
}

test_pass_logs if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {"diagnostic_logs": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {}}})
}
