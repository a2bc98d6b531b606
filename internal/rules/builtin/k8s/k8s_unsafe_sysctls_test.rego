package vigil.rules.k8s_unsafe_sysctls_test

import data.vigil.rules.k8s_unsafe_sysctls as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_kernel_msgmax if {
	"r1" in rule.fail with input as one({"sysctls": ["kernel.msgmax"]})
	rule.message.r1 with input as one({"sysctls": ["kernel.msgmax"]})
}

test_pass_safe_only if {
	inp := one({"sysctls": ["net.ipv4.tcp_syncookies"]})
	not "r1" in rule.fail with input as inp
}

test_pass_none if {
	inp := one({"sysctls": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
