package vigil.rules.azure_nsp_paas_unsecured_test

import data.vigil.rules.azure_nsp_paas_unsecured as rule

one(cis) := {"resources": {"account": [{"id": "s1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": {"cis": cis}}}]}}

test_fail_unsecured if {
	doc := one({"nsp_secured": false, "nsp_unsecured": ["/subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv (Learning mode)", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st"]})
	"s1" in rule.fail with input as doc
	rule.message.s1 == "2 PaaS resources are not in a network security perimeter in Enforced mode: /subscriptions/s1/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv (Learning mode), /subscriptions/s1/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st" with input as doc
}

test_pass_all_enforced if {
	not "s1" in rule.fail with input as one({"nsp_secured": true})
}

test_unknown_associations_not_listed if {
	not "s1" in rule.fail with input as one({"easm": true})
}
