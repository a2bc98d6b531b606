package vigil.rules.k8s_capabilities_restricted_test

import data.vigil.rules.k8s_capabilities_restricted as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_no_drop if {
	"r1" in rule.fail with input as one({"capabilities_not_dropping_all": ["app"], "capabilities_added": []})
	rule.message.r1 with input as one({"capabilities_not_dropping_all": ["app"], "capabilities_added": []})
}

test_fail_adds_net_admin if {
	"r1" in rule.fail with input as one({"capabilities_not_dropping_all": [], "capabilities_added": [{"container": "app", "capability": "NET_ADMIN"}]})
	rule.message.r1 with input as one({"capabilities_not_dropping_all": [], "capabilities_added": [{"container": "app", "capability": "NET_ADMIN"}]})
}

test_pass_drop_all_add_bind if {
	inp := one({"capabilities_not_dropping_all": [], "capabilities_added": [{"container": "app", "capability": "NET_BIND_SERVICE"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_adds_unknown if {
	inp := one({"capabilities_not_dropping_all": []})
	not "r1" in rule.fail with input as inp
}
