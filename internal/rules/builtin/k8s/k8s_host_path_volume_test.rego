package vigil.rules.k8s_host_path_volume_test

import data.vigil.rules.k8s_host_path_volume as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_var_log if {
	"r1" in rule.fail with input as one({"host_paths": ["/var/log"]})
	rule.message.r1 with input as one({"host_paths": ["/var/log"]})
}

test_pass_none if {
	inp := one({"host_paths": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
