package vigil.rules.identity_stale_access_keys_test

import data.vigil.rules.identity_stale_access_keys as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"identity": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

key(id, active, created) := {"id": id, "active": active, "created": created}

test_fail_aws_user_old_key if {
	inp := one("aws", {"identity": {"kind": "user", "access_keys_known": true, "access_keys": [key("AKIA1", true, "2026-01-01T00:00:00Z")]}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "active key(s) older than 90 days: AKIA1 (327 days)" with input as inp
}

test_fail_gcp_user_managed_sa_key if {
	"r1" in rule.fail with input as one("gcp", {"identity": {"kind": "service_account", "access_keys": [object.union(key("k1", true, "2025-06-01T00:00:00Z"), {"user_managed": true})]}})
}

test_fail_azure_service_principal_secret if {
	"r1" in rule.fail with input as one("azure", {"identity": {"kind": "service_principal", "access_keys": [key("cred1", true, "2026-05-01T10:00:00Z")]}})
}

test_pass_recent_and_inactive_keys if {
	inp := one("aws", {"identity": {"kind": "user", "access_keys_known": true, "access_keys": [
		key("AKIA1", true, "2026-10-01T00:00:00Z"),
		key("AKIA2", false, "2024-01-01T00:00:00Z"),
	]}})
	not "r1" in rule.fail with input as inp
}

test_pass_gcp_system_managed_key if {
	inp := one("gcp", {"identity": {"kind": "service_account", "access_keys": [object.union(key("k1", true, "2020-01-01T00:00:00Z"), {"user_managed": false})]}})
	not "r1" in rule.fail with input as inp
}

test_pass_no_keys if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "user", "access_keys_known": true}})
}

test_unknown_keys_not_exported if {
	inp := one("aws", {"identity": {"kind": "user"}})
	not "r1" in rule.fail with input as inp
}

# custom.requires cannot name a fact of each key: an active key without a
# creation date is not a FAIL, and the user PASSes (the importers set the
# creation date of every active key they list).
test_pass_key_without_creation_date if {
	inp := one("aws", {"identity": {"kind": "user", "access_keys": [{"id": "AKIA1", "active": true}]}})
	not "r1" in rule.fail with input as inp
}

test_skip_roles if {
	not "r1" in rule.fail with input as one("aws", {"identity": {"kind": "role"}})
}

test_skip_kind_absent if {
	inp := one("aws", {"identity": {"access_keys_known": true, "access_keys": [{"id": "AKIA1", "active": true, "created": "2025-01-01T00:00:00Z"}]}})
	not "r1" in rule.fail with input as inp
}
