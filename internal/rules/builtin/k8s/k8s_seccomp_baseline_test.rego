package vigil.rules.k8s_seccomp_baseline_test

import data.vigil.rules.k8s_seccomp_baseline as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_unconfined if {
	"r1" in rule.fail with input as one({"seccomp": [{"container": "app", "type": "Unconfined"}]})
	rule.message.r1 with input as one({"seccomp": [{"container": "app", "type": "Unconfined"}]})
}

test_pass_default_or_unset if {
	inp := one({"seccomp": [{"container": "app", "type": "RuntimeDefault"}, {"container": "side", "type": ""}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
