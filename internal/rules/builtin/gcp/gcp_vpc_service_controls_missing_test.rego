package vigil.rules.gcp_vpc_service_controls_missing_test

import data.vigil.rules.gcp_vpc_service_controls_missing as rule

one(cis) := {"resources": {"account": [{"id": "p1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": cis}}}]}}

test_fail_outside_every_perimeter if {
	"p1" in rule.fail with input as one({"vpc_service_controls": false})
}

test_pass_inside_a_perimeter if {
	not "p1" in rule.fail with input as one({"vpc_service_controls": true, "vpc_service_perimeters": ["prod"]})
}

test_unknown_without_access_policies if {
	not "p1" in rule.fail with input as one({"access_approval": true})
}
