package vigil.rules.k8s_rbac_webhook_config_test

import data.vigil.rules.k8s_rbac_webhook_config as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_mutating if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["patch"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": ["admissionregistration.k8s.io"], "resources": ["mutatingwebhookconfigurations"], "verbs": ["patch"]}]})
}

test_pass_read if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": ["admissionregistration.k8s.io"], "resources": ["validatingwebhookconfigurations"], "verbs": ["get"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
