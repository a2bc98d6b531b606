package vigil.rules.kubernetes_network_policy_test

import data.vigil.rules.kubernetes_network_policy as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_aks_none if {
	"r1" in rule.fail with input as one("azure", {"network_policy": false})
}

test_fail_gke_disabled if {
	"r1" in rule.fail with input as one("gcp", {"network_policy": false})
}

test_fail_eks_no_agent if {
	"r1" in rule.fail with input as one("aws", {"network_policy": false})
}

test_pass_calico if {
	inp := one("azure", {"network_policy": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_exported if {
	inp := one("gcp", {"public_endpoint": false})
	not "r1" in rule.fail with input as inp
}
