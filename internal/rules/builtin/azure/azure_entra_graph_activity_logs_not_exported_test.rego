package vigil.rules.azure_entra_graph_activity_logs_not_exported_test

import data.vigil.rules.azure_entra_graph_activity_logs_not_exported as rule

one(t) := {"resources": {"org_unit": [{"id": "/tenants/t", "provider": "azure", "type": "microsoft.graph.organization", "facts": {"org_unit": {"kind": "tenant", "tenant": t}}}]}}

test_fail_not_sent if {
	"/tenants/t" in rule.fail with input as one({"activity_logs_exported": true, "graph_activity_logs_exported": false})
}

test_pass_sent if {
	not "/tenants/t" in rule.fail with input as one({"activity_logs_exported": false, "graph_activity_logs_exported": true})
}

test_unknown_listing_not_read if {
	not "/tenants/t" in rule.fail with input as one({"security_defaults": false})
}
