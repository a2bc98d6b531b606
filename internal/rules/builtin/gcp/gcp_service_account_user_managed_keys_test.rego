package vigil.rules.gcp_service_account_user_managed_keys_test

import data.vigil.rules.gcp_service_account_user_managed_keys as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_user_managed_key if {
	inp := one("gcp", {"identity": {"kind": "service_account", "access_keys": [
		{"id": "k1", "active": true, "user_managed": true},
		{"id": "k2", "active": true, "user_managed": false},
	]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "1 active user-managed key(s)" with input as inp
}

test_pass_only_system_managed if {
	inp := one("gcp", {"identity": {"kind": "service_account", "access_keys": [{"id": "k2", "active": true, "user_managed": false}]}})
	not "r1" in rule.fail with input as inp
}

test_pass_no_keys if {
	not "r1" in rule.fail with input as one("gcp", {"identity": {"kind": "service_account", "access_keys_known": true}})
}

# custom.requires cannot name a fact of each key: a listed key whose type is
# absent is not a FAIL, and the account PASSes (the GCP importer always sets
# user_managed from keyType).
test_pass_key_type_absent if {
	inp := one("gcp", {"identity": {"kind": "service_account", "access_keys": [{"id": "k1", "active": true}]}})
	not "r1" in rule.fail with input as inp
}

test_skip_users if {
	not "r1" in rule.fail with input as one("gcp", {"identity": {"kind": "user"}})
}

test_unknown_keys_not_exported if {
	inp := one("gcp", {"identity": {"kind": "service_account"}})
	not "r1" in rule.fail with input as inp
}
