package vigil.rules.k8s_rbac_wildcard_test

import data.vigil.rules.k8s_rbac_wildcard as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_verbs if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["pods"], "verbs": ["*"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["pods"], "verbs": ["*"]}]})
}

test_fail_resources if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["*"], "verbs": ["get"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["*"], "verbs": ["get"]}]})
}

test_fail_non_resource_urls if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"non_resource_urls": ["*"], "verbs": ["*"]}]})
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"non_resource_urls": ["/metrics", "/logs/*"], "verbs": ["*"]}]})
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"non_resource_urls": ["*"], "verbs": ["get"]}]})
}

test_pass_non_resource_urls if {
	inp := one({"kind": "ClusterRole", "rules": [{"non_resource_urls": ["/healthz", "/metrics"], "verbs": ["get"]}]})
	not "r1" in rule.fail with input as inp
}

test_pass_explicit if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["pods"], "verbs": ["get", "list"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
