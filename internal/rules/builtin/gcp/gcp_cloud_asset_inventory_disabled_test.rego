package vigil.rules.gcp_cloud_asset_inventory_disabled_test

import data.vigil.rules.gcp_cloud_asset_inventory_disabled as rule

one(cis) := {"resources": {"account": [{"id": "r1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": cis}}}]}}

test_fail_not_enabled if {
	"r1" in rule.fail with input as one({"cloud_asset_api": false})
}

test_pass_enabled if {
	not "r1" in rule.fail with input as one({"cloud_asset_api": true})
}

test_unknown_services_not_exported if {
	not "r1" in rule.fail with input as one({"os_login": true})
}
