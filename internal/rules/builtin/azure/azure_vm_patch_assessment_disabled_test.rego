package vigil.rules.azure_vm_patch_assessment_disabled_test

import data.vigil.rules.azure_vm_patch_assessment_disabled as rule

vm(compute) := {"resources": {"compute": [{"id": "r1", "provider": "azure", "type": "Microsoft.Compute/virtualMachines", "facts": {"compute": compute}}]}}

test_fail_image_default if {
	"r1" in rule.fail with input as vm({"patch_assessment": false})
}

test_pass_automatic_by_platform if {
	not "r1" in rule.fail with input as vm({"patch_assessment": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as vm({"public_ip": false})
}
