package vigil.rules.database_deletion_protection_disabled_test

import data.vigil.rules.database_deletion_protection_disabled as rule

now := "2026-11-24T00:00:00Z"

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_rds_instance_unprotected if {
	inp := typed("aws", "AWS::RDS::DBInstance", {"database": {"engine": "postgres", "deletion_protection": false}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "deletion protection is disabled" with input as inp
}

test_fail_cloud_sql_unprotected if {
	"r1" in rule.fail with input as typed("gcp", "sqladmin.googleapis.com/Instance", {"database": {"deletion_protection": false}})
}

test_pass_protected if {
	not "r1" in rule.fail with input as typed("aws", "AWS::RDS::DBCluster", {"database": {"deletion_protection": true}})
}

test_skip_aurora_instance if {
	inp := typed("aws", "AWS::RDS::DBInstance", {"database": {"engine": "aurora-mysql", "deletion_protection": false}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}

test_unknown_when_absent if {
	not "r1" in rule.fail with input as typed("aws", "AWS::RDS::DBInstance", {"database": {"encrypted": true}})
}
