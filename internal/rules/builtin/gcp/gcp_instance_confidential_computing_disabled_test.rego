package vigil.rules.gcp_instance_confidential_computing_disabled_test

import data.vigil.rules.gcp_instance_confidential_computing_disabled as rule

one(c) := {"now": "2026-11-24T00:00:00Z", "resources": {"compute": [{
	"id": "r1", "provider": "gcp", "type": "compute.googleapis.com/Instance", "facts": {"compute": c},
}]}}

test_fail_not_confidential if {
	"r1" in rule.fail with input as one({"confidential_computing": false})
}

test_pass_confidential_vm if {
	inp := one({"confidential_computing": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_config_not_shown if {
	not "r1" in rule.fail with input as one({"secure_boot": true})
}

test_fail_supported_family if {
	"r1" in rule.fail with input as one({"confidential_computing": false, "machine_type": "n2d-standard-4"})
}

test_skip_family_without_confidential_vm if {
	not "r1" in rule.fail with input as one({"confidential_computing": false, "machine_type": "e2-medium"})
}
