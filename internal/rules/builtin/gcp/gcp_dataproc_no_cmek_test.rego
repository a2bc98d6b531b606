package vigil.rules.gcp_dataproc_no_cmek_test

import data.vigil.rules.gcp_dataproc_no_cmek as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"data_warehouse": [{"id": "r1", "provider": "gcp", "type": "dataproc.googleapis.com/Cluster", "facts": facts}]}}

test_fail_google_keys if {
	"r1" in rule.fail with input as one({"database": {"key_manager": "provider"}})
}

test_pass_cmek if {
	not "r1" in rule.fail with input as one({"database": {"key_manager": "customer"}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"database": {"engine": "dataproc"}})
}
