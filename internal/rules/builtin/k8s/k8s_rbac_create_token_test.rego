package vigil.rules.k8s_rbac_create_token_test

import data.vigil.rules.k8s_rbac_create_token as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_rbac": [{"id": "r1", "provider": "kubernetes", "type": "ClusterRole.rbac.authorization.k8s.io", "facts": {"rbac": facts}}]}}

test_fail_token if {
	"r1" in rule.fail with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]}]})
	rule.message.r1 with input as one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"]}]})
}

test_pass_named if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["serviceaccounts/token"], "verbs": ["create"], "resource_names": ["builder"]}]})
	not "r1" in rule.fail with input as inp
}

test_pass_list_sa if {
	inp := one({"kind": "ClusterRole", "rules": [{"api_groups": [""], "resources": ["serviceaccounts"], "verbs": ["list"]}]})
	not "r1" in rule.fail with input as inp
}

test_unknown_aggregated if {
	inp := one({"kind": "ClusterRole"})
	not "r1" in rule.fail with input as inp
}
