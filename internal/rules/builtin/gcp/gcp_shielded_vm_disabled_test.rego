package vigil.rules.gcp_shielded_vm_disabled_test

import data.vigil.rules.gcp_shielded_vm_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_secure_boot_gcp if {
	"r1" in rule.fail with input as one("gcp", {"compute": {"secure_boot": false}})
}

test_pass_secure_boot if {
	inp := one("gcp", {"compute": {"secure_boot": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_secure_boot_absent if {
	inp := one("gcp", {"compute": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("gcp", {})
	not "r1" in rule.fail with input as inp
}
