package vigil.rules.gcp_network_dns_logging_disabled_test

import data.vigil.rules.gcp_network_dns_logging_disabled as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"network": [{"id": "r1", "provider": "gcp", "type": "compute.googleapis.com/Network", "facts": facts}]}}

test_fail_not_logged if {
	"r1" in rule.fail with input as one({"network": {"dns_logging": false}})
}

test_pass_logged if {
	not "r1" in rule.fail with input as one({"network": {"dns_logging": true}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"network": {"flow_logs": true}})
}
