package vigil.rules.kubernetes_secrets_not_encrypted_test

import data.vigil.rules.kubernetes_secrets_not_encrypted as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_cluster": [{"id": "r1", "provider": provider, "type": type, "facts": {"kubernetes": facts}}]}}

test_fail_eks_no_encryption_config if {
	"r1" in rule.fail with input as one("aws", {"secrets_encrypted": false})
}

test_fail_aks_no_kms if {
	"r1" in rule.fail with input as one("azure", {"secrets_encrypted": false})
}

test_fail_gke_decrypted if {
	"r1" in rule.fail with input as one("gcp", {"secrets_encrypted": false})
}

test_pass_kms if {
	inp := one("aws", {"secrets_encrypted": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_encryption_not_exported if {
	inp := one("azure", {"rbac": true})
	not "r1" in rule.fail with input as inp
}
