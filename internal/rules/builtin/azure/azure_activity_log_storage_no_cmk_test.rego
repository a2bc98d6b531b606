package vigil.rules.azure_activity_log_storage_no_cmk_test

import data.vigil.rules.azure_activity_log_storage_no_cmk as rule

one(log) := {"now": "2026-11-24T00:00:00Z", "resources": {"audit_log": [{
	"id": "r1", "provider": "azure", "type": "Microsoft.Insights/diagnosticSettings",
	"facts": {"audit_log": object.union({"enabled": true}, log)},
}]}}

test_fail_microsoft_managed_keys if {
	"r1" in rule.fail with input as one({"encrypted_with_cmk": false})
}

test_pass_customer_managed_key if {
	inp := one({"encrypted_with_cmk": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_destination_not_a_known_account if {
	inp := one({"destination": "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/w"})
	not "r1" in rule.fail with input as inp
}
