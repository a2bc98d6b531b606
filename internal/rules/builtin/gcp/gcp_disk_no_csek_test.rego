package vigil.rules.gcp_disk_no_csek_test

import data.vigil.rules.gcp_disk_no_csek as rule

one(disk) := {"now": "2026-11-24T00:00:00Z", "resources": {"disk": [{
	"id": "r1", "provider": "gcp", "type": "compute.googleapis.com/Disk",
	"facts": {"disk": object.union({"encrypted": true}, disk)},
}]}}

test_fail_cloud_kms_key if {
	"r1" in rule.fail with input as one({"key_manager": "customer", "customer_supplied": false})
}

test_pass_customer_supplied_key if {
	inp := one({"key_manager": "customer", "customer_supplied": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_key_unreadable if {
	inp := one({"key_manager": "provider"})
	not "r1" in rule.fail with input as inp
}
