package vigil.rules.azure_storage_not_geo_redundant_test

import data.vigil.rules.azure_storage_not_geo_redundant as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{
	"id": "r1", "provider": "azure", "type": "Microsoft.Storage/storageAccounts", "facts": facts,
}]}}

test_fail_locally_redundant if {
	"r1" in rule.fail with input as one({"storage": {"geo_redundant": false}})
}

test_pass_geo_redundant if {
	inp := one({"storage": {"geo_redundant": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_sku_not_exported if {
	inp := one({"storage": {"encrypted": true}})
	not "r1" in rule.fail with input as inp
}
