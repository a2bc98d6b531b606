package vigil.rules.azure_defender_fim_disabled_test

import data.vigil.rules.azure_defender_fim_disabled as rule

one(defender) := {"resources": {"account": [{"id": "r1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": {"defender": defender}}}]}}

test_fail_off if {
	"r1" in rule.fail with input as one({"servers": false, "servers_fim": false})
}

test_pass_on if {
	not "r1" in rule.fail with input as one({"servers": true, "servers_fim": true})
}

test_unknown_extensions_not_listed if {
	not "r1" in rule.fail with input as one({"servers": true})
}
