package vigil.rules.gcp_instance_os_login_disabled_test

import data.vigil.rules.gcp_instance_os_login_disabled as rule

one(c) := {"now": "2026-11-24T00:00:00Z", "resources": {"compute": [{
	"id": "r1", "provider": "gcp", "type": "compute.googleapis.com/Instance", "facts": {"compute": c},
}]}}

test_fail_os_login_off if {
	"r1" in rule.fail with input as one({"os_login": false})
}

test_pass_os_login_on if {
	inp := one({"os_login": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_instance_does_not_set_it if {
	not "r1" in rule.fail with input as one({"block_project_ssh_keys": true})
}
