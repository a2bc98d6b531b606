package vigil.rules.gcp_api_key_not_rotated_test

import data.vigil.rules.gcp_api_key_not_rotated as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"account": [{"id": "r1", "provider": "gcp", "type": "T", "facts": facts}]}}

test_fail_old if {
	"r1" in rule.fail with input as one({"account": {"cis": {"api_keys": [{"name": "maps", "created": "2026-10-01T00:00:00Z", "api_restricted": true, "app_restricted": true}, {"name": "k2", "created": "2025-01-02T00:00:00Z", "api_restricted": true, "app_restricted": true}]}}})
}

test_pass_recent if {
	not "r1" in rule.fail with input as one({"account": {"cis": {"api_keys": [{"name": "maps", "created": "2026-10-01T00:00:00Z", "api_restricted": true, "app_restricted": true}]}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"account": {"cis": {}}})
}
