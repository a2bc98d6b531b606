package vigil.rules.gcp_org_essential_contacts_missing_test

import data.vigil.rules.gcp_org_essential_contacts_missing as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"org_unit": [{"id": "r1", "provider": "gcp", "type": "T", "facts": facts}]}}

test_fail_missing if {
	"r1" in rule.fail with input as one({"org_unit": {"kind": "organization", "essential_contacts": false}})
}

test_pass_all if {
	not "r1" in rule.fail with input as one({"org_unit": {"kind": "organization", "essential_contacts": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"org_unit": {"kind": "organization"}})
}
