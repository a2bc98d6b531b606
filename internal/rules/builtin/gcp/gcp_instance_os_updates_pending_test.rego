package vigil.rules.gcp_instance_os_updates_pending_test

import data.vigil.rules.gcp_instance_os_updates_pending as rule

one(c) := {"resources": {"compute": [{"id": "vm", "provider": "gcp", "type": "compute.googleapis.com/Instance", "facts": {"compute": c}}]}}

test_fail_updates_available if {
	"vm" in rule.fail with input as one({"os_updates_pending": 3})
	rule.message.vm == "3 OS package updates are available and not installed (VM Manager's OS inventory)" with input as one({"os_updates_pending": 3})
}

test_pass_up_to_date if {
	not "vm" in rule.fail with input as one({"os_updates_pending": 0})
}

test_unknown_without_inventory if {
	not "vm" in rule.fail with input as one({"os_login": true})
}
