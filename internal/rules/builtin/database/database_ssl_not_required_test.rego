package vigil.rules.database_ssl_not_required_test

import data.vigil.rules.database_ssl_not_required as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_ssl_required_azure if {
	"r1" in rule.fail with input as one("azure", {"database": {"ssl_required": false}})
}

test_fail_ssl_required_gcp if {
	"r1" in rule.fail with input as one("gcp", {"database": {"ssl_required": false}})
}

test_pass_ssl_required if {
	inp := one("azure", {"database": {"ssl_required": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_ssl_required_absent if {
	inp := one("azure", {"database": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}

test_fail_aws_cache_without_tls if {
	"r1" in rule.fail with input as typed("aws", "AWS::ElastiCache::ReplicationGroup", {"database": {"ssl_required": false}})
}

test_skip_aws_database_without_the_fact if {
	inp := typed("aws", "AWS::RDS::DBInstance", {"database": {"encrypted": true}})
	"r1" in rule.skip with input as inp
	not "r1" in rule.fail with input as inp
}

test_aws_search_domain_with_https_enforced_is_judged if {
	inp := typed("aws", "AWS::OpenSearch::Domain", {"database": {"ssl_required": true}})
	not "r1" in rule.skip with input as inp
	not "r1" in rule.fail with input as inp
}
