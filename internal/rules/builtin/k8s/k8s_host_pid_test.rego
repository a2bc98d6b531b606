package vigil.rules.k8s_host_pid_test

import data.vigil.rules.k8s_host_pid as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_set if {
	"r1" in rule.fail with input as one({"host_pid": true})
	rule.message.r1 with input as one({"host_pid": true})
}

test_pass_unset_default if {
	inp := one({"host_pid": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
