package vigil.rules.azure_resource_lock_admin_role_missing_test

import data.vigil.rules.azure_resource_lock_admin_role_missing as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "azure", "type": "microsoft.resources/subscriptions", "facts": {"account": {"cis": cis}}}]}}

test_fail_none if {
	"r1" in rule.fail with input as one({"lock_admin_role": false})
}

test_pass_role if {
	not "r1" in rule.fail with input as one({"lock_admin_role": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"bastion_host": true})
}
