package vigil.rules.k8s_run_as_low_uid_test

import data.vigil.rules.k8s_run_as_low_uid as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_one if {
	"r1" in rule.fail with input as one({"low_uid": ["app"]})
	rule.message.r1 with input as one({"low_uid": ["app"]})
}

test_fail_init_and_app if {
	"r1" in rule.fail with input as one({"low_uid": ["setup", "app"]})
	rule.message.r1 with input as one({"low_uid": ["setup", "app"]})
}

test_pass_none if {
	inp := one({"low_uid": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Deployment"})
	not "r1" in rule.fail with input as inp
}
