package vigil.rules.gcp_bigquery_data_not_classified_test

import data.vigil.rules.gcp_bigquery_data_not_classified as rule

one(cis) := {"resources": {"account": [{"id": "p1", "provider": "gcp", "type": "cloudresourcemanager.googleapis.com/Project", "facts": {"account": {"cis": cis}}}]}}

test_fail_not_profiled if {
	"p1" in rule.fail with input as one({"bigquery_data": true, "bigquery_discovery": false})
}

test_pass_profiled if {
	not "p1" in rule.fail with input as one({"bigquery_data": true, "bigquery_discovery": true, "bigquery_discovery_configs": ["organizations/1/locations/global/discoveryConfigs/c"]})
}

test_unknown_without_listings if {
	not "p1" in rule.fail with input as one({"bigquery_data": true})
}
