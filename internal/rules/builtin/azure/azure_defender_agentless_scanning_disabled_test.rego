package vigil.rules.azure_defender_agentless_scanning_disabled_test

import data.vigil.rules.azure_defender_agentless_scanning_disabled as rule

one(defender) := {"resources": {"account": [{"id": "r1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": {"defender": defender}}}]}}

test_fail_off if {
	"r1" in rule.fail with input as one({"servers": true, "servers_agentless_scanning": false})
}

test_pass_on if {
	not "r1" in rule.fail with input as one({"servers": true, "servers_agentless_scanning": true})
}

test_unknown_extensions_not_listed if {
	not "r1" in rule.fail with input as one({"servers": true})
}
