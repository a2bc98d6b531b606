package vigil.rules.kubernetes_public_endpoint_test

import data.vigil.rules.kubernetes_public_endpoint as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_eks_public if {
	"r1" in rule.fail with input as one("aws", {"public_endpoint": true, "endpoint_allowed_cidrs": ["203.0.113.0/24"]})
}

test_fail_aks_public if {
	"r1" in rule.fail with input as one("azure", {"public_endpoint": true})
}

test_fail_gke_public if {
	"r1" in rule.fail with input as one("gcp", {"public_endpoint": true})
}

test_pass_private if {
	inp := one("azure", {"public_endpoint": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_endpoint_not_exported if {
	inp := one("gcp", {"version": "1.30"})
	not "r1" in rule.fail with input as inp
}
