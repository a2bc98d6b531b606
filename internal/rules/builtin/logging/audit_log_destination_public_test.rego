package vigil.rules.audit_log_destination_public_test

import data.vigil.rules.audit_log_destination_public as rule

one(provider, facts) := {"resources": {"audit_log": [{"id": "r1", "provider": provider, "type": "T", "facts": {"audit_log": facts}}]}}

test_fail_trail_to_public_bucket if {
	inp := one("aws", {"destination": "arn:aws:s3:::trail-logs", "destination_public": true})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "audit logs are delivered to arn:aws:s3:::trail-logs, which is publicly accessible" with input as inp
}

test_fail_gcp_sink_to_public_bucket if {
	"r1" in rule.fail with input as one("gcp", {"destination": "storage.googleapis.com/audit", "destination_public": true})
}

test_pass_private_destination if {
	not "r1" in rule.fail with input as one("aws", {"destination": "arn:aws:s3:::trail-logs", "destination_public": false})
}

# The destination bucket is not in the inventory: not known.
test_unknown_destination_not_in_inventory if {
	not "r1" in rule.fail with input as one("azure", {"destination": "/subscriptions/s/storageAccounts/logs"})
}
