package vigil.rules.azure_defender_endpoint_protection_disabled_test

import data.vigil.rules.azure_defender_endpoint_protection_disabled as rule

one(defender) := {"resources": {"account": [{"id": "r1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": {"defender": defender}}}]}}

test_fail_wdatp_off if {
	"r1" in rule.fail with input as one({"servers": true, "servers_endpoint_protection": false})
}

test_pass_wdatp_on if {
	not "r1" in rule.fail with input as one({"servers": true, "servers_endpoint_protection": true})
}

test_unknown_no_setting if {
	not "r1" in rule.fail with input as one({"servers": true})
}
