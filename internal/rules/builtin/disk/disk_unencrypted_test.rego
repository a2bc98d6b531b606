package vigil.rules.disk_unencrypted_test

import data.vigil.rules.disk_unencrypted as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"disk": [{"id": "r1", "provider": provider, "type": type, "facts": {"disk": facts}}]}}

test_fail_unencrypted_volume if {
	"r1" in rule.fail with input as one("aws", {"encrypted": false, "attached": true})
}

test_fail_unencrypted_unattached_volume if {
	"r1" in rule.fail with input as one("aws", {"encrypted": false, "attached": false})
}

test_pass_encrypted_volume if {
	inp := one("aws", {"encrypted": true, "key_manager": "provider"})
	not "r1" in rule.fail with input as inp
}

test_unknown_encryption_not_exported if {
	inp := one("aws", {"attached": true})
	not "r1" in rule.fail with input as inp
}

test_skip_efs if {
	not "r1" in rule.fail with input as typed("aws", "AWS::EFS::FileSystem", {"encrypted": false, "attached": false, "key_manager": "provider"})
}
