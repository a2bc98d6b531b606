package vigil.rules.gcp_bigquery_table_no_cmek_test

import data.vigil.rules.gcp_bigquery_table_no_cmek as rule

one(db) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{
	"id": "r1", "provider": "gcp", "type": "bigquery.googleapis.com/Table",
	"facts": {"database": object.union({"engine": "bigquery"}, db)},
}]}}

test_fail_google_managed_key if {
	"r1" in rule.fail with input as one({"encrypted": true, "key_manager": "provider"})
}

test_pass_customer_managed_key if {
	inp := one({"encrypted": true, "key_manager": "customer"})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_key_unreadable if {
	inp := one({})
	not "r1" in rule.fail with input as inp
}
