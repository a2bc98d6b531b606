package vigil.rules.azure_vm_no_managed_identity_test

import data.vigil.rules.azure_vm_no_managed_identity as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_no_identity if {
	inp := one("azure", {"compute": {"public_ip": false, "disk_encrypted": true}})
	"r1" in rule.fail with input as inp
}

test_fail_identity_none if {
	"r1" in rule.fail with input as one("azure", {"compute": {"identity": "None"}})
}

test_pass_system_assigned if {
	inp := one("azure", {"compute": {"identity": "SystemAssigned"}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_compute_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}
