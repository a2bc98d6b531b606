package vigil.rules.gcp_network_no_psc_google_apis_test

import data.vigil.rules.gcp_network_no_psc_google_apis as rule

one(nw) := {"resources": {"network": [{"id": "n1", "provider": "gcp", "type": "compute.googleapis.com/Network", "facts": {"network": nw}}]}}

test_fail_no_endpoint if {
	"n1" in rule.fail with input as one({"vpc_endpoints": false})
}

test_pass_endpoint if {
	not "n1" in rule.fail with input as one({"vpc_endpoints": true})
}

test_unknown_no_forwarding_rules_exported if {
	not "n1" in rule.fail with input as one({"flow_logs": true})
}
