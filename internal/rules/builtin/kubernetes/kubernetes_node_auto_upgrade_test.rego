package vigil.rules.kubernetes_node_auto_upgrade_test

import data.vigil.rules.kubernetes_node_auto_upgrade as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_aks_channel_none if {
	"r1" in rule.fail with input as one("azure", {"node_auto_upgrade": false})
}

test_fail_gke_pool_manual if {
	"r1" in rule.fail with input as one("gcp", {"node_auto_upgrade": false})
}

test_pass_stable_channel if {
	inp := one("azure", {"node_auto_upgrade": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_upgrade_not_exported if {
	inp := one("gcp", {"version": "1.29"})
	not "r1" in rule.fail with input as inp
}
