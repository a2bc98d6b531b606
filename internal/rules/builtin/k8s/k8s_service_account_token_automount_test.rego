package vigil.rules.k8s_service_account_token_automount_test

import data.vigil.rules.k8s_service_account_token_automount as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_default if {
	"r1" in rule.fail with input as one({"automount_service_account_token": true})
	rule.message.r1 with input as one({"automount_service_account_token": true})
}

test_pass_disabled if {
	inp := one({"automount_service_account_token": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
