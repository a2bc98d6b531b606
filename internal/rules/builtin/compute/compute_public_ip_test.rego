package vigil.rules.compute_public_ip_test

import data.vigil.rules.compute_public_ip as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"compute": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_ip_aws if {
	"r1" in rule.fail with input as one("aws", {"compute": {"public_ip": true}})
}

test_fail_public_ip_azure if {
	"r1" in rule.fail with input as one("azure", {"compute": {"public_ip": true}})
}

test_fail_public_ip_gcp if {
	"r1" in rule.fail with input as one("gcp", {"compute": {"public_ip": true}})
}

test_pass_public_ip if {
	inp := one("aws", {"compute": {"public_ip": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_ip_absent if {
	inp := one("aws", {"compute": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
