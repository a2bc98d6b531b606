package vigil.rules.gcp_log_bucket_retention_not_locked_test

import data.vigil.rules.gcp_log_bucket_retention_not_locked as rule

one(storage) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{
	"id": "r1", "provider": "gcp", "type": "storage.googleapis.com/Bucket",
	"facts": {"storage": storage},
}]}}

test_fail_sink_bucket_not_locked if {
	"r1" in rule.fail with input as one({"log_sink_destination": true, "retention_locked": false})
}

test_pass_sink_bucket_locked if {
	inp := one({"log_sink_destination": true, "retention_locked": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_sinks_not_exported if {
	inp := one({"retention_locked": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_lock_unreadable if {
	inp := one({"log_sink_destination": true})
	not "r1" in rule.fail with input as inp
}

test_skip_bucket_no_sink_writes_to if {
	inp := one({"log_sink_destination": false, "retention_locked": false})
	not "r1" in rule.fail with input as inp
}
