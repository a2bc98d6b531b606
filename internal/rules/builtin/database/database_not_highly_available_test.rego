package vigil.rules.database_not_highly_available_test

import data.vigil.rules.database_not_highly_available as rule

typed(provider, type, facts) := {"resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_rds_single_az if {
	"r1" in rule.fail with input as typed("aws", "AWS::RDS::DBInstance", {"database": {"engine": "postgres", "multi_az": false}})
}

test_fail_cloud_sql_zonal if {
	"r1" in rule.fail with input as typed("gcp", "sqladmin.googleapis.com/Instance", {"database": {"multi_az": false}})
}

test_fail_azure_flexible_server_without_ha if {
	"r1" in rule.fail with input as typed("azure", "Microsoft.DBforPostgreSQL/flexibleServers", {"database": {"multi_az": false}})
}

test_pass_multi_az if {
	not "r1" in rule.fail with input as typed("aws", "AWS::RDS::DBInstance", {"database": {"engine": "mysql", "multi_az": true}})
}

test_skip_aurora_instance if {
	inp := typed("aws", "AWS::RDS::DBInstance", {"database": {"engine": "aurora-postgresql", "multi_az": false}})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}

test_unknown_when_absent if {
	not "r1" in rule.fail with input as typed("aws", "AWS::RDS::DBInstance", {"database": {"engine": "postgres"}})
}

# DynamoDB replicates across zones by design: no finding at all.
test_skip_dynamodb if {
	not "r1" in rule.fail with input as typed("aws", "AWS::DynamoDB::Table", {"database": {"multi_az": false}})
}
