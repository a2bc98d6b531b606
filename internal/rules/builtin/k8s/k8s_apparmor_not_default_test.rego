package vigil.rules.k8s_apparmor_not_default_test

import data.vigil.rules.k8s_apparmor_not_default as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_unconfined if {
	"r1" in rule.fail with input as one({"apparmor": [{"container": "app", "type": "Unconfined"}]})
	rule.message.r1 with input as one({"apparmor": [{"container": "app", "type": "Unconfined"}]})
}

test_fail_custom_value if {
	"r1" in rule.fail with input as one({"apparmor": [{"container": "init", "type": "RuntimeDefault"}, {"container": "app", "type": "custom"}]})
	rule.message.r1 with input as one({"apparmor": [{"container": "init", "type": "RuntimeDefault"}, {"container": "app", "type": "custom"}]})
}

test_pass_default if {
	inp := one({"apparmor": [{"container": "app", "type": "RuntimeDefault"}, {"container": "app", "type": ""}]})
	not "r1" in rule.fail with input as inp
}

test_pass_localhost if {
	inp := one({"apparmor": [{"container": "app", "type": "Localhost"}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
