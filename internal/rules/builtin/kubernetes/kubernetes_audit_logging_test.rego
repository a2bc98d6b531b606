package vigil.rules.kubernetes_audit_logging_test

import data.vigil.rules.kubernetes_audit_logging as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_eks_no_audit if {
	"r1" in rule.fail with input as one("aws", {"audit_logging": false, "control_plane_logging": true})
}

test_fail_aks_no_audit if {
	"r1" in rule.fail with input as one("azure", {"audit_logging": false})
}

test_pass_audit_on if {
	inp := one("azure", {"audit_logging": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_audit_not_exported if {
	inp := one("aws", {"control_plane_logging": true})
	not "r1" in rule.fail with input as inp
}
