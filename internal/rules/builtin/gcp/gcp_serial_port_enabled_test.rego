package vigil.rules.gcp_serial_port_enabled_test

import data.vigil.rules.gcp_serial_port_enabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_serial_port_enabled_gcp if {
	"r1" in rule.fail with input as one("gcp", {"compute": {"serial_port_enabled": true}})
}

test_pass_serial_port_enabled if {
	inp := one("gcp", {"compute": {"serial_port_enabled": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_serial_port_enabled_absent if {
	inp := one("gcp", {"compute": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
