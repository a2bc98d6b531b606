package vigil.rules.gcp_subnet_flow_logs_disabled_test

import data.vigil.rules.gcp_subnet_flow_logs_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "compute.googleapis.com/Subnetwork", facts)

typed(provider, type, facts) := {"now": now, "resources": {"network": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_flow_logs_gcp if {
	"r1" in rule.fail with input as one("gcp", {"network": {"flow_logs": false}})
}

test_pass_flow_logs if {
	inp := one("gcp", {"network": {"flow_logs": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_flow_logs_absent if {
	inp := one("gcp", {"network": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}

test_skip_networks if {
	inp := typed("gcp", "compute.googleapis.com/Network", {"network": {"flow_logs": false}})
	not "r1" in rule.fail with input as inp
}
