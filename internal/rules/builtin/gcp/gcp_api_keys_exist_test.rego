package vigil.rules.gcp_api_keys_exist_test

import data.vigil.rules.gcp_api_keys_exist as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"account": [{"id": "r1", "provider": "gcp", "type": "T", "facts": facts}]}}

test_fail_key if {
	"r1" in rule.fail with input as one({"account": {"cis": {"api_keys": [{"name": "maps", "created": "2026-10-01T00:00:00Z", "api_restricted": true, "app_restricted": true}]}}})
}

test_pass_no_keys if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"api_keys": []}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"os_login": true}}})
}
