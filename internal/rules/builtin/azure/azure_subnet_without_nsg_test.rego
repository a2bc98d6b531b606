package vigil.rules.azure_subnet_without_nsg_test

import data.vigil.rules.azure_subnet_without_nsg as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"network": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_subnet_without_nsg if {
	"r1" in rule.fail with input as one({"network": {"subnets_nsg": false, "subnets_without_nsg": ["snet-a"]}})
}

test_pass_every_subnet if {
	not "r1" in rule.fail with input as one({"network": {"subnets_nsg": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"network": {"ddos_protection": true}})
}
