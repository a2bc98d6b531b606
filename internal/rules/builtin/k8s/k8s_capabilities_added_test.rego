package vigil.rules.k8s_capabilities_added_test

import data.vigil.rules.k8s_capabilities_added as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_net_bind if {
	"r1" in rule.fail with input as one({"capabilities_added": [{"container": "app", "capability": "NET_BIND_SERVICE"}]})
	rule.message.r1 with input as one({"capabilities_added": [{"container": "app", "capability": "NET_BIND_SERVICE"}]})
}

test_pass_none if {
	inp := one({"capabilities_added": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
