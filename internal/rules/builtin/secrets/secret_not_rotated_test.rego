package vigil.rules.secret_not_rotated_test

import data.vigil.rules.secret_not_rotated as rule

types := {"aws": "AWS::SecretsManager::Secret", "azure": "Microsoft.KeyVault/vaults/secrets", "gcp": "secretmanager.googleapis.com/Secret"}

one(provider, facts) := typed(provider, types[provider], facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"secret": [{"id": "r1", "provider": provider, "type": type, "facts": {"secret": facts}}]}}

test_fail_aws_stale if {
	"r1" in rule.fail with input as one("aws", {"rotation_enabled": false, "last_rotated": "2026-01-10T00:00:00Z"})
}

test_fail_azure_updated_long_ago if {
	"r1" in rule.fail with input as one("azure", {"enabled": true, "last_rotated": "2025-11-01T00:00:00Z"})
}

test_pass_recent if {
	inp := one("gcp", {"last_rotated": "2026-10-01T00:00:00Z"})
	not "r1" in rule.fail with input as inp
}

test_pass_stale_but_disabled if {
	inp := one("azure", {"enabled": false, "last_rotated": "2025-11-01T00:00:00Z"})
	not "r1" in rule.fail with input as inp
}

test_unknown_never_rotated_or_not_exported if {
	inp := one("aws", {"rotation_enabled": false})
	not "r1" in rule.fail with input as inp
}

# A Key Vault certificate, and the secret Key Vault keeps for it, are renewed by the certificate's policy (CIS Azure 8.3.11).
test_not_applicable_certificate if {
	not "r1" in rule.fail with input as typed("azure", "Microsoft.KeyVault/vaults/certificates", {"enabled": true, "last_rotated": "2025-11-01T00:00:00Z"})
}

test_not_applicable_certificate_backed_secret if {
	not "r1" in rule.fail with input as one("azure", {"enabled": true, "last_rotated": "2025-11-01T00:00:00Z", "certificate_backed": true})
}
