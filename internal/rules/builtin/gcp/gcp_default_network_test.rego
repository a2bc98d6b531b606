package vigil.rules.gcp_default_network_test

import data.vigil.rules.gcp_default_network as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "compute.googleapis.com/Network", facts)

typed(provider, type, facts) := {"now": now, "resources": {"network": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_default_gcp if {
	"r1" in rule.fail with input as one("gcp", {"network": {"default": true}})
}

test_pass_default if {
	inp := one("gcp", {"network": {"default": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_default_absent if {
	inp := one("gcp", {"network": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}

test_skip_subnetworks if {
	inp := typed("gcp", "compute.googleapis.com/Subnetwork", {"network": {"default": true}})
	not "r1" in rule.fail with input as inp
}
