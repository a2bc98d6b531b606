package vigil.rules.azure_intune_logs_not_exported_test

import data.vigil.rules.azure_intune_logs_not_exported as rule

one(t) := {"resources": {"org_unit": [{"id": "/tenants/t", "provider": "azure", "type": "microsoft.graph.organization", "facts": {"org_unit": {"kind": "tenant", "tenant": t}}}]}}

test_fail_not_sent_to_a_workspace if {
	doc := one({"intune_logs_exported": false, "missing_intune_logs": ["OperationalLogs", "Devices"]})
	"/tenants/t" in rule.fail with input as doc
	rule.message["/tenants/t"] == "no diagnostic setting of Intune sends OperationalLogs, Devices to a Log Analytics workspace" with input as doc
}

test_pass_exported if {
	not "/tenants/t" in rule.fail with input as one({"intune_logs_exported": true, "activity_logs_exported": false})
}

test_unknown_listing_not_read if {
	not "/tenants/t" in rule.fail with input as one({"activity_logs_exported": true})
}
