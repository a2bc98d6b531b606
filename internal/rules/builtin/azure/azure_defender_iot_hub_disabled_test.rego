package vigil.rules.azure_defender_iot_hub_disabled_test

import data.vigil.rules.azure_defender_iot_hub_disabled as rule

one(cis) := {"resources": {"account": [{"id": "s1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": {"cis": cis}}}]}}

hub := "/subscriptions/s1/resourceGroups/iot/providers/Microsoft.Devices/IotHubs/plant-c"

test_fail_hub_without_solution if {
	doc := one({"iot_hub": true, "iot_hubs_defender": false, "iot_hubs_without_defender": [hub]})
	"s1" in rule.fail with input as doc
	rule.message.s1 == sprintf("IoT hubs without Defender for IoT: %s", [hub]) with input as doc
}

test_pass_every_hub_protected if {
	not "s1" in rule.fail with input as one({"iot_hub": true, "iot_hubs_defender": true})
}

test_unknown_solution_unreadable if {
	not "s1" in rule.fail with input as one({"iot_hub": true})
}

test_no_hub_not_judged if {
	not "s1" in rule.fail with input as one({"easm": true})
}
