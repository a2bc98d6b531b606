package vigil.rules.k8s_capabilities_baseline_test

import data.vigil.rules.k8s_capabilities_baseline as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_sys_admin if {
	"r1" in rule.fail with input as one({"capabilities_added": [{"container": "app", "capability": "SYS_ADMIN"}]})
	rule.message.r1 with input as one({"capabilities_added": [{"container": "app", "capability": "SYS_ADMIN"}]})
}

test_fail_net_admin_among_allowed if {
	"r1" in rule.fail with input as one({"capabilities_added": [{"container": "app", "capability": "CHOWN"}, {"container": "app", "capability": "NET_ADMIN"}]})
	rule.message.r1 with input as one({"capabilities_added": [{"container": "app", "capability": "CHOWN"}, {"container": "app", "capability": "NET_ADMIN"}]})
}

test_pass_allowed_only if {
	inp := one({"capabilities_added": [{"container": "app", "capability": "NET_BIND_SERVICE"}]})
	not "r1" in rule.fail with input as inp
}

test_pass_none if {
	inp := one({"capabilities_added": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
