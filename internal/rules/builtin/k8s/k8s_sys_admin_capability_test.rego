package vigil.rules.k8s_sys_admin_capability_test

import data.vigil.rules.k8s_sys_admin_capability as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_sys_admin if {
	"r1" in rule.fail with input as one({"capabilities_added": [{"container": "app", "capability": "SYS_ADMIN"}]})
	rule.message.r1 with input as one({"capabilities_added": [{"container": "app", "capability": "SYS_ADMIN"}]})
}

test_fail_all if {
	"r1" in rule.fail with input as one({"capabilities_added": [{"container": "app", "capability": "ALL"}]})
	rule.message.r1 with input as one({"capabilities_added": [{"container": "app", "capability": "ALL"}]})
}

test_pass_other if {
	inp := one({"capabilities_added": [{"container": "app", "capability": "NET_BIND_SERVICE"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
