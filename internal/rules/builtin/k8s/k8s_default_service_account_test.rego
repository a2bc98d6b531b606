package vigil.rules.k8s_default_service_account_test

import data.vigil.rules.k8s_default_service_account as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_default if {
	"r1" in rule.fail with input as one({"service_account": "default", "automount_service_account_token": true})
	rule.message.r1 with input as one({"service_account": "default", "automount_service_account_token": true})
}

test_pass_own_sa if {
	inp := one({"service_account": "web", "automount_service_account_token": true})
	not "r1" in rule.fail with input as inp
}

test_pass_no_token if {
	inp := one({"service_account": "default", "automount_service_account_token": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"service_account": "default"})
	not "r1" in rule.fail with input as inp
}
