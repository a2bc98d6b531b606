package vigil.rules.test_root_keys_test

import data.vigil.rules.test_root_keys

root(identity) := {"resources": {"identity": [{"id": "root", "provider": "aws", "facts": {"identity": identity}}]}}

test_fail_active_key if {
	"root" in test_root_keys.fail with input as root({"kind": "root", "access_keys": [{"id": "k", "active": true}]})
}

test_pass_no_keys if {
	not "root" in test_root_keys.fail with input as root({"kind": "root", "access_keys_known": true})
}

test_unknown_keys_not_reported if {
	not "root" in data.vigil.rules.test_root_keys.fail with input as root({"kind": "root"})
}

test_users_are_skipped if {
	"root" in test_root_keys.skip with input as root({"kind": "user"})
}
