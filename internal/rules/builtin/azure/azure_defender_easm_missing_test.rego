package vigil.rules.azure_defender_easm_missing_test

import data.vigil.rules.azure_defender_easm_missing as rule

one(account) := {"resources": {"account": [{"id": "s1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": account}}]}}

test_fail_no_workspace if {
	"s1" in rule.fail with input as one({"cis": {"easm": false}})
}

test_pass_workspace if {
	not "s1" in rule.fail with input as one({"cis": {"easm": true}})
}

test_unknown_without_resources_table if {
	not "s1" in rule.fail with input as one({"cis": {"bastion_host": true}})
}
