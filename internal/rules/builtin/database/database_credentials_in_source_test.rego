package vigil.rules.database_credentials_in_source_test

import data.vigil.rules.database_credentials_in_source as rule

now := "2026-11-24T00:00:00Z"

typed(provider, type, facts) := {"now": now, "resources": {"database": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_password_in_source if {
	inp := typed("aws", "AWS::RDS::DBInstance", {"database": {"credentials_in_source": true, "credential_arguments": ["password"]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "password written in the source: password" with input as inp
}

test_fail_without_names if {
	inp := typed("gcp", "sqladmin.googleapis.com/Instance", {"database": {"credentials_in_source": true}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "a password is written in the source" with input as inp
}

test_pass_password_from_elsewhere if {
	not "r1" in rule.fail with input as typed("azure", "Microsoft.Sql/servers", {"database": {"credentials_in_source": false}})
}

test_unknown_when_absent if {
	not "r1" in rule.fail with input as typed("aws", "AWS::RDS::DBInstance", {"database": {"encrypted": true}})
}
