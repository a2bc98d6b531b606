package vigil.rules.api_gateway_waf_test

import data.vigil.rules.api_gateway_waf as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"api_gateway": [{"id": "r1", "provider": provider, "type": type, "facts": {"api_gateway": facts}}]}}

test_fail_regional_no_waf if {
	"r1" in rule.fail with input as one("aws", {"public": true, "waf": false})
}

test_fail_endpoint_type_unknown if {
	"r1" in rule.fail with input as one("aws", {"waf": false, "logging": true})
}

test_pass_web_acl if {
	inp := one("aws", {"public": true, "waf": true})
	not "r1" in rule.fail with input as inp
}

test_pass_private_api if {
	inp := one("aws", {"public": false, "waf": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_waf_not_exported if {
	inp := one("aws", {"public": true})
	not "r1" in rule.fail with input as inp
}
