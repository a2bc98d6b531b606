package vigil.rules.flow_log_disabled_test

import data.vigil.rules.flow_log_disabled as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"flow_log": [{"id": "r1", "provider": provider, "type": type, "facts": {"flow_log": facts}}]}}

test_fail_azure_disabled if {
	"r1" in rule.fail with input as one("azure", {"enabled": false, "targets": ["/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/v"]})
}

test_fail_aws_not_delivering if {
	"r1" in rule.fail with input as one("aws", {"enabled": false})
}

test_pass_enabled if {
	inp := one("azure", {"enabled": true, "retention_days": 90})
	not "r1" in rule.fail with input as inp
}

test_unknown_status_not_exported if {
	inp := one("aws", {"targets": ["vpc-1"]})
	not "r1" in rule.fail with input as inp
}
