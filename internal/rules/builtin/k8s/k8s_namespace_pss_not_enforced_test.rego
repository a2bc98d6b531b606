package vigil.rules.k8s_namespace_pss_not_enforced_test

import data.vigil.rules.k8s_namespace_pss_not_enforced as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_namespace": [{"id": "r1", "provider": "kubernetes", "type": "Namespace", "facts": {"namespace": facts}}]}}

test_fail_no_label if {
	"r1" in rule.fail with input as one({"declared": true, "pod_security_enforced": false})
	rule.message.r1 with input as one({"declared": true, "pod_security_enforced": false})
}

test_fail_privileged if {
	"r1" in rule.fail with input as one({"declared": true, "pod_security_enforce": "privileged", "pod_security_enforced": false})
	rule.message.r1 with input as one({"declared": true, "pod_security_enforce": "privileged", "pod_security_enforced": false})
}

test_pass_restricted if {
	inp := one({"declared": true, "pod_security_enforce": "restricted", "pod_security_enforced": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_declared if {
	inp := one({"declared": false})
	not "r1" in rule.fail with input as inp
}
