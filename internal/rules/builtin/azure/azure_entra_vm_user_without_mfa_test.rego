package vigil.rules.azure_entra_vm_user_without_mfa_test

import data.vigil.rules.azure_entra_vm_user_without_mfa as rule

one(identity) := {"resources": {"identity": [{
	"id": "r1", "provider": "azure", "type": "microsoft.graph.user",
	"facts": {"identity": object.union({"kind": "user"}, identity)},
}]}}

test_fail_vm_user_without_mfa if {
	doc := one({"vm_access": true, "mfa_enabled": false, "disabled": false})
	"r1" in rule.fail with input as doc
	rule.message.r1 == "can sign in to or control virtual machines and has no multifactor authentication method registered" with input as doc
}

test_pass_vm_user_with_mfa if {
	not "r1" in rule.fail with input as one({"vm_access": true, "mfa_enabled": true, "disabled": false})
}

test_not_selected_without_vm_access if {
	not "r1" in rule.fail with input as one({"vm_access": false, "mfa_enabled": false, "disabled": false})
}

test_unknown_access_not_failed if {
	not "r1" in rule.fail with input as one({"mfa_enabled": false, "disabled": false})
}

test_skip_disabled_user if {
	not "r1" in rule.fail with input as one({"vm_access": true, "mfa_enabled": false, "disabled": true})
}
