package vigil.rules.k8s_namespace_no_default_deny_test

import data.vigil.rules.k8s_namespace_no_default_deny as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_namespace": [{"id": "r1", "provider": "kubernetes", "type": "Namespace", "name": "shop", "facts": {"namespace": facts}}]}}

test_fail_none if {
	"r1" in rule.fail with input as one({"default_deny_ingress": false, "network_policies": 0})
	rule.message.r1 == "namespace shop has no default-deny ingress NetworkPolicy" with input as one({"default_deny_ingress": false, "network_policies": 0})
}

test_pass_deny if {
	inp := one({"default_deny_ingress": true, "network_policies": 1})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_computed if {
	inp := one({"declared": true})
	not "r1" in rule.fail with input as inp
}
