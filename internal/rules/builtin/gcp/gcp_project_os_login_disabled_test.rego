package vigil.rules.gcp_project_os_login_disabled_test

import data.vigil.rules.gcp_project_os_login_disabled as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": cis}}}]}}

test_fail_not_set if {
	"r1" in rule.fail with input as one({"os_login": false})
}

test_pass_enabled if {
	not "r1" in rule.fail with input as one({"os_login": true})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"log_sink_all_entries": true})
}
