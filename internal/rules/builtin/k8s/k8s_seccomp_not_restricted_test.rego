package vigil.rules.k8s_seccomp_not_restricted_test

import data.vigil.rules.k8s_seccomp_not_restricted as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_unset if {
	"r1" in rule.fail with input as one({"seccomp": [{"container": "app", "type": ""}]})
	rule.message.r1 with input as one({"seccomp": [{"container": "app", "type": ""}]})
}

test_fail_one_unconfined if {
	"r1" in rule.fail with input as one({"seccomp": [{"container": "a", "type": "RuntimeDefault"}, {"container": "b", "type": "Unconfined"}]})
	rule.message.r1 with input as one({"seccomp": [{"container": "a", "type": "RuntimeDefault"}, {"container": "b", "type": "Unconfined"}]})
}

test_pass_runtime_default if {
	inp := one({"seccomp": [{"container": "app", "type": "RuntimeDefault"}, {"container": "b", "type": "Localhost"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
