package vigil.rules.azure_databricks_public_ip_test

import data.vigil.rules.azure_databricks_public_ip as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces", "facts": facts}]}}

test_fail_public_ips if {
	"r1" in rule.fail with input as one({"database": {"databricks": {"no_public_ip": false}}})
}

test_pass_no_public_ip if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {"no_public_ip": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"databricks": {"vnet_injection": true}}})
}
