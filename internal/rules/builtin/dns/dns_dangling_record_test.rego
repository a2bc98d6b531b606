package vigil.rules.dns_dangling_record_test

import data.vigil.rules.dns_dangling_record as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"dns_zone": [{"id": "r1", "provider": provider, "type": type, "facts": {"dns": facts}}]}}

test_fail_cname_to_deleted_bucket if {
	"r1" in rule.fail with input as one("aws", {"public": true, "dangling_records": ["assets.example.com CNAME assets-old.s3.amazonaws.com"]})
}

test_fail_cname_to_deleted_app if {
	"r1" in rule.fail with input as one("azure", {"public": true, "dangling_records": ["www.example.com"]})
}

test_fail_a_record_released_ip if {
	"r1" in rule.fail with input as one("gcp", {"dangling_records": ["legacy.example.com"]})
}

test_pass_none if {
	inp := one("aws", {"public": true, "dangling_records": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_records_not_exported if {
	inp := one("azure", {"public": true})
	not "r1" in rule.fail with input as inp
}
