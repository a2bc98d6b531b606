package vigil.rules.governance_required_tags_backup_vault_test

import data.vigil.rules.governance_required_tags_backup_vault as rule

res(provider, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"backup_vault": [{"id": "r1", "provider": provider, "type": "T", "facts": facts}]}}

test_fail_missing if {
	inp := res("aws", {"tagging": {"selected": true, "missing": ["owner"], "invalid": []}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "missing required tags: owner" with input as inp
}

test_fail_invalid_gcp_azure if {
	inp := res("gcp", {"tagging": {"selected": true, "missing": ["owner"], "invalid": ["data-classification"]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "missing required tags: owner; invalid required tags: data-classification" with input as inp
	"r1" in rule.fail with input as res("azure", {"tagging": {"selected": true, "missing": [], "invalid": ["owner"]}})
}

test_pass_compliant if {
	not "r1" in rule.fail with input as res("aws", {"tagging": {"selected": true, "missing": [], "invalid": []}})
}

test_skip_not_selected if {
	inp := res("aws", {"tagging": {"selected": false, "missing": [], "invalid": []}})
	"r1" in rule.skip with input as inp
	not "r1" in rule.fail with input as inp
	not "r1" in rule.skip with input as res("aws", {"tagging": {"selected": true, "missing": [], "invalid": []}})
}

test_unknown_without_tagging_standard if {
	not "r1" in rule.fail with input as res("aws", {})
}
