package vigil.rules.gcp_instance_project_ssh_keys_allowed_test

import data.vigil.rules.gcp_instance_project_ssh_keys_allowed as rule

one(c) := {"now": "2026-11-24T00:00:00Z", "resources": {"compute": [{
	"id": "r1", "provider": "gcp", "type": "compute.googleapis.com/Instance", "facts": {"compute": c},
}]}}

test_fail_project_keys_allowed if {
	"r1" in rule.fail with input as one({"block_project_ssh_keys": false})
}

test_pass_project_keys_blocked if {
	inp := one({"block_project_ssh_keys": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_metadata_not_shown if {
	not "r1" in rule.fail with input as one({"serial_port_enabled": false})
}
