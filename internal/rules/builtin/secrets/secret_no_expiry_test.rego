package vigil.rules.secret_no_expiry_test

import data.vigil.rules.secret_no_expiry as rule

types := {"aws": "AWS::SecretsManager::Secret", "azure": "Microsoft.KeyVault/vaults/secrets", "gcp": "secretmanager.googleapis.com/Secret"}

one(provider, facts) := typed(provider, types[provider], facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"secret": [{"id": "r1", "provider": provider, "type": type, "facts": {"secret": facts}}]}}

test_fail_no_exp if {
	"r1" in rule.fail with input as one("azure", {"enabled": true, "expiry_set": false})
}

test_pass_expires if {
	inp := one("azure", {"enabled": true, "expiry_set": true, "expires": "2027-02-12T00:00:00Z"})
	not "r1" in rule.fail with input as inp
}

test_pass_disabled_secret if {
	inp := one("azure", {"enabled": false, "expiry_set": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_attributes_not_exported if {
	inp := one("azure", {"enabled": true})
	not "r1" in rule.fail with input as inp
}

# A Key Vault certificate (class secret too) is not a secret of CIS 8.3.3/8.3.4: its expiry is the certificate's.
test_not_applicable_certificate if {
	not "r1" in rule.fail with input as typed("azure", "Microsoft.KeyVault/vaults/certificates", {"enabled": true, "expiry_set": false})
}
