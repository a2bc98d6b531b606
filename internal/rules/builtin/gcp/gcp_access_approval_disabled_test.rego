package vigil.rules.gcp_access_approval_disabled_test

import data.vigil.rules.gcp_access_approval_disabled as rule

one(cis) := {"resources": {"account": [{"id": "p1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": cis}}}]}}

test_fail_not_enrolled if {
	"p1" in rule.fail with input as one({"access_approval": false})
}

test_pass_enrolled if {
	not "p1" in rule.fail with input as one({"access_approval": true})
}

test_unknown_without_settings if {
	not "p1" in rule.fail with input as one({"os_login": true})
}
