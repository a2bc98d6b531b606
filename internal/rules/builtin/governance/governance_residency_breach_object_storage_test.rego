package vigil.rules.governance_residency_breach_object_storage_test

import data.vigil.rules.governance_residency_breach_object_storage as rule

res(provider, d) := {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": "T", "facts": {"data": d}}]}}

breach := {
	"sensitivity": "restricted", "categories": ["personal-data"], "classified": true, "residency": "breach",
	"locations": [
		{"region": "eu-west-1", "path": "primary", "country": "IE", "jurisdiction": "EU", "allowed": true},
		{"region": "us-east-1", "path": "replication", "target": "dest", "country": "US", "jurisdiction": "US", "allowed": false},
	],
}

test_fail_replication_aws if {
	"r1" in rule.fail with input as res("aws", breach)
}

test_fail_azure_gcp if {
	"r1" in rule.fail with input as res("azure", breach)
	"r1" in rule.fail with input as res("gcp", breach)
}

test_message_names_class_place_and_path if {
	msg := rule.message.r1 with input as res("aws", breach)
	contains(msg, "restricted (personal-data)")
	contains(msg, "us-east-1 (country US, jurisdiction US) via replication to dest")
	not contains(msg, "eu-west-1")
}

test_fail_primary if {
	d := {"sensitivity": "confidential", "residency": "breach", "locations": [{"region": "us-east-1", "path": "primary", "allowed": false}]}
	"r1" in rule.fail with input as res("gcp", d)
	msg := rule.message.r1 with input as res("gcp", d)
	contains(msg, "confidential data")
	contains(msg, "country unknown, jurisdiction unknown) via its primary location")
}

test_pass_allowed if {
	d := {"sensitivity": "restricted", "residency": "allowed", "locations": [{"region": "eu-west-1", "path": "primary", "allowed": true}]}
	not "r1" in rule.fail with input as res("aws", d)
}

test_pass_unrestricted if {
	d := {"sensitivity": "public", "residency": "unrestricted", "locations": [{"region": "nam4", "path": "gcs-multi-region"}]}
	not "r1" in rule.fail with input as res("gcp", d)
}

test_unknown_place_not_known if {
	# A replica whose region is not known (before deploy): no verdict.
	d := {"sensitivity": "restricted", "locations": [{"region": "eu-west-1", "path": "primary", "allowed": true}, {"region": "", "path": "replication"}]}
	not "r1" in rule.fail with input as res("aws", d)
	not "r1" in rule.fail with input as {"now": "2026-11-24T00:00:00Z", "resources": {"object_storage": [{"id": "r1", "provider": "aws", "type": "T", "facts": {}}]}}
}
