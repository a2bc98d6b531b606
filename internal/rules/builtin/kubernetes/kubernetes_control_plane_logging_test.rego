package vigil.rules.kubernetes_control_plane_logging_test

import data.vigil.rules.kubernetes_control_plane_logging as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_eks_no_log_types if {
	"r1" in rule.fail with input as one("aws", {"control_plane_logging": false})
}

test_fail_aks_no_diagnostics if {
	"r1" in rule.fail with input as one("azure", {"control_plane_logging": false})
}

test_fail_gke_logging_none if {
	"r1" in rule.fail with input as one("gcp", {"control_plane_logging": false})
}

test_pass_enabled if {
	inp := one("aws", {"control_plane_logging": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_logging_not_exported if {
	inp := one("azure", {"rbac": true})
	not "r1" in rule.fail with input as inp
}
