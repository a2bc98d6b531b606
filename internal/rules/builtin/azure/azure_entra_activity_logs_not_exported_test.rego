package vigil.rules.azure_entra_activity_logs_not_exported_test

import data.vigil.rules.azure_entra_activity_logs_not_exported as rule

one(t) := {"resources": {"org_unit": [{"id": "/tenants/t", "provider": "azure", "type": "microsoft.graph.organization", "facts": {"org_unit": {"kind": "tenant", "tenant": t}}}]}}

test_fail_audit_logs_not_sent if {
	doc := one({"activity_logs_exported": false, "missing_activity_logs": ["AuditLogs", "MicrosoftGraphActivityLogs"]})
	"/tenants/t" in rule.fail with input as doc
	rule.message["/tenants/t"] == "no diagnostic setting of the tenant sends AuditLogs to a destination" with input as doc
}

test_pass_exported if {
	not "/tenants/t" in rule.fail with input as one({"activity_logs_exported": true, "graph_activity_logs_exported": false})
}

test_unknown_listing_not_read if {
	not "/tenants/t" in rule.fail with input as one({"security_defaults": true})
}
