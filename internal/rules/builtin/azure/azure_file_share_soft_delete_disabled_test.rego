package vigil.rules.azure_file_share_soft_delete_disabled_test

import data.vigil.rules.azure_file_share_soft_delete_disabled as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_off if {
	"r1" in rule.fail with input as one({"storage": {"files": {"soft_delete": false}}})
}

test_pass_on if {
	not "r1" in rule.fail with input as one({"storage": {"files": {"soft_delete": true}}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"storage": {"files": {}}})
}

test_unknown_no_file_service if {
	not "r1" in rule.fail with input as one({"storage": {}})
}
