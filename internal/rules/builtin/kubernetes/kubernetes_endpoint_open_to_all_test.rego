package vigil.rules.kubernetes_endpoint_open_to_all_test

import data.vigil.rules.kubernetes_endpoint_open_to_all as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_eks_default_cidr if {
	"r1" in rule.fail with input as one("aws", {"public_endpoint": true, "endpoint_allowed_cidrs": ["0.0.0.0/0"]})
}

test_fail_aks_no_ranges if {
	"r1" in rule.fail with input as one("azure", {"public_endpoint": true, "endpoint_allowed_cidrs": ["0.0.0.0/0"]})
}

test_fail_gke_ipv6_any if {
	"r1" in rule.fail with input as one("gcp", {"public_endpoint": true, "endpoint_allowed_cidrs": ["10.0.0.0/8", "::/0"]})
}

test_pass_restricted if {
	inp := one("aws", {"public_endpoint": true, "endpoint_allowed_cidrs": ["203.0.113.0/24"]})
	not "r1" in rule.fail with input as inp
}

test_skip_private_endpoint if {
	inp := one("azure", {"public_endpoint": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_allow_list_not_exported if {
	inp := one("gcp", {"public_endpoint": true})
	not "r1" in rule.fail with input as inp
}
