package vigil.rules.database_open_to_any_ip_test

import data.vigil.rules.database_open_to_any_ip as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_gcp_authorized_any if {
	"r1" in rule.fail with input as one("gcp", {"database": {"authorized_networks": ["203.0.113.0/24", "0.0.0.0/0"]}})
}

test_fail_azure_allow_all_rule if {
	"r1" in rule.fail with input as one("azure", {"database": {"authorized_networks": ["0.0.0.0/0"], "public_endpoint": true}})
}

test_pass_specific_ranges if {
	inp := one("gcp", {"database": {"authorized_networks": ["203.0.113.0/24"]}})
	not "r1" in rule.fail with input as inp
}

# The contract cannot say "PASS when the endpoint is private even if the
# networks are unknown" without also passing public endpoints whose networks
# are unknown, so a private endpoint without networks is UNKNOWN too.
test_unknown_private_networks_absent if {
	not "r1" in rule.fail with input as one("azure", {"database": {"public_endpoint": false}})
}

test_unknown_public_without_networks if {
	inp := one("gcp", {"database": {"public_endpoint": true}})
	not "r1" in rule.fail with input as inp
}
