package vigil.rules.azure_vnet_ddos_protection_disabled_test

import data.vigil.rules.azure_vnet_ddos_protection_disabled as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"network": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_ddos_off if {
	"r1" in rule.fail with input as one({"network": {"ddos_protection": false}})
}

test_pass_ddos_on if {
	not "r1" in rule.fail with input as one({"network": {"ddos_protection": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"network": {"flow_logs": true}})
}
