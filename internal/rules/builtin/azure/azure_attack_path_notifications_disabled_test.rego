package vigil.rules.azure_attack_path_notifications_disabled_test

import data.vigil.rules.azure_attack_path_notifications_disabled as rule

now := "2026-11-24T00:00:00Z"

one(facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "azure", "type": "T", "facts": facts}]}}

test_fail_not_notified if {
	"r1" in rule.fail with input as one({"account": {"security_notifications": {"attack_path_notifications": false}}})
}

test_pass_notified if {
	not "r1" in rule.fail with input as one({"account": {"security_notifications": {"attack_path_notifications": true}}})
}

test_unknown_no_contact_rows if {
	not "r1" in rule.fail with input as one({"account": {}})
}
