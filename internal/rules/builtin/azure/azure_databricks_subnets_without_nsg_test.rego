package vigil.rules.azure_databricks_subnets_without_nsg_test

import data.vigil.rules.azure_databricks_subnets_without_nsg as rule

one(w) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{
	"id": "r1", "provider": "azure", "type": "Microsoft.Databricks/workspaces",
	"facts": {"database": {"engine": "databricks", "databricks": w}},
}]}}

test_fail_subnet_without_nsg if {
	"r1" in rule.fail with input as one({"vnet_injection": true, "vnet": "/v", "subnets": ["pub", "priv"], "subnets_nsg": false})
}

test_pass_both_subnets_guarded if {
	inp := one({"vnet_injection": true, "vnet": "/v", "subnets": ["pub", "priv"], "subnets_nsg": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_vnet_not_in_inventory if {
	inp := one({"vnet_injection": true, "vnet": "/v", "subnets": ["pub", "priv"]})
	not "r1" in rule.fail with input as inp
}

test_skip_managed_vnet if {
	inp := one({"vnet_injection": false})
	not "r1" in rule.fail with input as inp
}
