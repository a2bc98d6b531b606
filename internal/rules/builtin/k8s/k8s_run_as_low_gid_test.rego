package vigil.rules.k8s_run_as_low_gid_test

import data.vigil.rules.k8s_run_as_low_gid as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_one if {
	"r1" in rule.fail with input as one({"low_gid": ["app"]})
	rule.message.r1 with input as one({"low_gid": ["app"]})
}

test_fail_init_and_app if {
	"r1" in rule.fail with input as one({"low_gid": ["setup", "app"]})
	rule.message.r1 with input as one({"low_gid": ["setup", "app"]})
}

test_pass_none if {
	inp := one({"low_gid": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Deployment"})
	not "r1" in rule.fail with input as inp
}
