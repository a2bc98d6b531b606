package vigil.rules.k8s_volume_types_restricted_test

import data.vigil.rules.k8s_volume_types_restricted as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_host_path if {
	"r1" in rule.fail with input as one({"volume_types": ["configMap", "hostPath"]})
	rule.message.r1 with input as one({"volume_types": ["configMap", "hostPath"]})
}

test_fail_scale_io if {
	"r1" in rule.fail with input as one({"volume_types": ["scaleIO"]})
	rule.message.r1 with input as one({"volume_types": ["scaleIO"]})
}

test_pass_core if {
	inp := one({"volume_types": ["configMap", "secret", "emptyDir"]})
	not "r1" in rule.fail with input as inp
}

test_pass_none if {
	inp := one({"volume_types": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
