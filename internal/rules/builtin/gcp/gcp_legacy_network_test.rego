package vigil.rules.gcp_legacy_network_test

import data.vigil.rules.gcp_legacy_network as rule

one(n) := {"now": "2026-11-24T00:00:00Z", "resources": {"network": [{
	"id": "r1", "provider": "gcp", "type": "compute.googleapis.com/Network", "facts": {"network": n},
}]}}

test_fail_legacy_network if {
	"r1" in rule.fail with input as one({"legacy": true})
}

test_pass_vpc_network if {
	inp := one({"legacy": false, "default": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_mode_not_shown if {
	not "r1" in rule.fail with input as one({"default": false})
}
