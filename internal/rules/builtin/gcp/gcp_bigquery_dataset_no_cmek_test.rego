package vigil.rules.gcp_bigquery_dataset_no_cmek_test

import data.vigil.rules.gcp_bigquery_dataset_no_cmek as rule

one(db) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{
	"id": "r1", "provider": "gcp", "type": "bigquery.googleapis.com/Dataset", "facts": {"database": db},
}]}}

test_fail_google_managed_key if {
	"r1" in rule.fail with input as one({"engine": "bigquery", "encrypted": true, "key_manager": "provider"})
}

test_pass_default_cmek if {
	inp := one({"engine": "bigquery", "encrypted": true, "key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_key_not_shown if {
	not "r1" in rule.fail with input as one({"engine": "bigquery"})
}
