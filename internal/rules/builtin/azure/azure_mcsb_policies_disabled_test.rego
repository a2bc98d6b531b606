package vigil.rules.azure_mcsb_policies_disabled_test

import data.vigil.rules.azure_mcsb_policies_disabled as rule

one(cis) := {"resources": {"account": [{"id": "s1", "provider": "azure", "type": "Microsoft.Resources/subscriptions", "facts": {"account": {"cis": cis}}}]}}

test_fail_effect_disabled if {
	doc := one({"mcsb_assigned": true, "mcsb_policies_enabled": false, "mcsb_disabled_policies": ["diskEncryptionMonitoringEffect", "override: systemUpdatesMonitoring"]})
	"s1" in rule.fail with input as doc
	rule.message.s1 == "Microsoft Cloud Security Benchmark policies set to Disabled: diskEncryptionMonitoringEffect, override: systemUpdatesMonitoring" with input as doc
}

test_fail_with_deprecated_named_apart if {
	doc := one({"mcsb_assigned": true, "mcsb_policies_enabled": false, "mcsb_disabled_policies": ["systemUpdatesMonitoringEffect"], "mcsb_disabled_deprecated": ["sqlAuditingMonitoringEffect"]})
	"s1" in rule.fail with input as doc
	rule.message.s1 == "Microsoft Cloud Security Benchmark policies set to Disabled: systemUpdatesMonitoringEffect (deprecated, not counted: sqlAuditingMonitoringEffect)" with input as doc
}

test_pass_only_deprecated_disabled if {
	not "s1" in rule.fail with input as one({"mcsb_assigned": true, "mcsb_policies_enabled": true, "mcsb_disabled_deprecated": ["sqlAuditingMonitoringEffect"]})
}

test_fail_not_assigned if {
	doc := one({"mcsb_assigned": false, "mcsb_policies_enabled": false})
	"s1" in rule.fail with input as doc
	rule.message.s1 == "no assignment of the Microsoft Cloud Security Benchmark initiative covers the subscription" with input as doc
}

test_pass_all_enabled if {
	not "s1" in rule.fail with input as one({"mcsb_assigned": true, "mcsb_policies_enabled": true})
}

test_unknown_assignments_not_listed if {
	not "s1" in rule.fail with input as one({"easm": true})
}
