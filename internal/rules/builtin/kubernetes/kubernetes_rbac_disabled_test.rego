package vigil.rules.kubernetes_rbac_disabled_test

import data.vigil.rules.kubernetes_rbac_disabled as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_aks_no_rbac if {
	"r1" in rule.fail with input as one("azure", {"rbac": false})
}

test_pass_aks_rbac if {
	inp := one("azure", {"rbac": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_rbac_not_exported if {
	inp := one("azure", {"legacy_auth": false})
	not "r1" in rule.fail with input as inp
}
