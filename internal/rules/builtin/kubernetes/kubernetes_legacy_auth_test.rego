package vigil.rules.kubernetes_legacy_auth_test

import data.vigil.rules.kubernetes_legacy_auth as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_aks_local_accounts if {
	"r1" in rule.fail with input as one("azure", {"legacy_auth": true})
}

test_fail_gke_legacy_abac if {
	"r1" in rule.fail with input as one("gcp", {"legacy_auth": true})
}

test_pass_entra_only if {
	inp := one("azure", {"legacy_auth": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_auth_not_exported if {
	inp := one("gcp", {"rbac": true})
	not "r1" in rule.fail with input as inp
}
