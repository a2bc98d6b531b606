package vigil.rules.aws_iam_expired_server_certificate_test

import data.vigil.rules.aws_iam_expired_server_certificate as rule

now := "2026-11-24T00:00:00Z"

one(cis) := {"now": now, "resources": {"account": [{"id": "r1", "provider": "aws", "type": "AWS::::Account", "facts": {"account": {"cis": cis}}}]}}

test_fail_expired if {
	inp := one({"server_certificates_listed": true, "server_certificates": [{"name": "old", "expiration": "2025-01-01T00:00:00Z"}, {"name": "new", "expiration": "2027-06-01T00:00:00Z"}]})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "expired server certificates: old" with input as inp
}

test_pass_valid if {
	not "r1" in rule.fail with input as one({"server_certificates_listed": true, "server_certificates": [{"name": "new", "expiration": "2027-06-01T00:00:00Z"}]})
}

test_pass_empty_listing if {
	not "r1" in rule.fail with input as one({"server_certificates_listed": true})
}

# A listing cut short: its expired certificate fails the account.
test_fail_expired_in_partial_listing if {
	"r1" in rule.fail with input as one({"server_certificates": [{"name": "old", "expiration": "2025-01-01T00:00:00Z"}]})
}

test_pass_expiry_unknown if {
	not "r1" in rule.fail with input as one({"server_certificates_listed": true, "server_certificates": [{"name": "x"}]})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one({"config_all_regions": true})
}
