package vigil.rules.gcp_bigquery_dataset_public_test

import data.vigil.rules.gcp_bigquery_dataset_public as rule

one(db) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{
	"id": "r1", "provider": "gcp", "type": "bigquery.googleapis.com/Dataset", "facts": {"database": db},
}]}}

test_fail_public_dataset if {
	"r1" in rule.fail with input as one({"engine": "bigquery", "public_access": true})
}

test_pass_private_dataset if {
	inp := one({"engine": "bigquery", "public_access": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_access_not_shown if {
	not "r1" in rule.fail with input as one({"engine": "bigquery"})
}
