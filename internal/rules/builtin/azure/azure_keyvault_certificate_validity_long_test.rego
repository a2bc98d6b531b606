package vigil.rules.azure_keyvault_certificate_validity_long_test

import data.vigil.rules.azure_keyvault_certificate_validity_long as rule

one(secret) := {"resources": {"secret": [{"id": "c1", "provider": "azure", "type": "Microsoft.KeyVault/vaults/certificates", "facts": {"secret": secret}}]}}

test_fail_two_years if {
	"c1" in rule.fail with input as one({"validity_months": 24, "enabled": true})
	rule.message.c1 == "the certificate policy sets a validity of 24 months (at most 12)" with input as one({"validity_months": 24})
}

test_pass_twelve_months if {
	not "c1" in rule.fail with input as one({"validity_months": 12, "enabled": true})
}

test_unknown_without_policy if {
	not "c1" in rule.fail with input as one({"enabled": true, "expiry_set": true})
}
