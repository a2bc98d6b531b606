package vigil.rules.azure_appgw_http2_disabled_test

import data.vigil.rules.azure_appgw_http2_disabled as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"load_balancer": [{"id": "r1", "provider": "azure", "type": "Microsoft.Network/applicationGateways", "facts": facts}]}}

test_fail_off if {
	"r1" in rule.fail with input as one({"load_balancer": {"waf": true, "http2": false}})
}

test_pass_on if {
	not "r1" in rule.fail with input as one({"load_balancer": {"waf": true, "http2": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"load_balancer": {"waf": true}})
}
