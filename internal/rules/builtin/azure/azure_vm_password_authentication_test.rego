package vigil.rules.azure_vm_password_authentication_test

import data.vigil.rules.azure_vm_password_authentication as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"compute": [{"id": "r1", "provider": "azure", "type": "Microsoft.Compute/virtualMachines", "facts": facts}]}}

test_fail_password_logins if {
	"r1" in rule.fail with input as one({"compute": {"os_type": "linux", "password_authentication": true}})
}

test_pass_keys_only if {
	not "r1" in rule.fail with input as one({"compute": {"os_type": "linux", "password_authentication": false}})
}

test_unknown_without_the_fact if {
	not "r1" in rule.fail with input as one({"compute": {"os_type": "linux"}})
}
