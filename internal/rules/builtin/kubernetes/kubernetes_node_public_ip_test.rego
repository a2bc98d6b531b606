package vigil.rules.kubernetes_node_public_ip_test

import data.vigil.rules.kubernetes_node_public_ip as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_aks_node_public_ip if {
	"r1" in rule.fail with input as one("azure", {"private_nodes": false})
}

test_fail_gke_public_nodes if {
	"r1" in rule.fail with input as one("gcp", {"private_nodes": false})
}

test_pass_private_nodes if {
	inp := one("gcp", {"private_nodes": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_nodes_not_exported if {
	inp := one("azure", {"rbac": true})
	not "r1" in rule.fail with input as inp
}
