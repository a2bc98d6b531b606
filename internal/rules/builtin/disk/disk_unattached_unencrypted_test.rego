package vigil.rules.disk_unattached_unencrypted_test

import data.vigil.rules.disk_unattached_unencrypted as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"disk": [{"id": "r1", "provider": provider, "type": type, "facts": {"disk": facts}}]}}

test_fail_orphan_unencrypted if {
	"r1" in rule.fail with input as one("aws", {"encrypted": false, "attached": false})
}

test_pass_orphan_encrypted if {
	inp := one("aws", {"encrypted": true, "attached": false})
	not "r1" in rule.fail with input as inp
}

test_pass_attached_unencrypted if {
	inp := one("aws", {"encrypted": false, "attached": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_attachment_not_exported if {
	inp := one("aws", {"encrypted": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_encryption_not_exported if {
	inp := one("aws", {"attached": false})
	not "r1" in rule.fail with input as inp
}

test_skip_efs if {
	not "r1" in rule.fail with input as typed("aws", "AWS::EFS::FileSystem", {"encrypted": false, "attached": false, "key_manager": "provider"})
}
