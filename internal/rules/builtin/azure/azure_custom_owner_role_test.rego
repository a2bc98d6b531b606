package vigil.rules.azure_custom_owner_role_test

import data.vigil.rules.azure_custom_owner_role as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"role": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_custom_star_at_subscription if {
	inp := one("azure", {"role": {"custom": true, "full_admin": true, "actions": ["*"], "assignable_scopes": ["/subscriptions/s1"], "subscription_scope": true}})
	"r1" in rule.fail with input as inp
}

test_pass_builtin_owner if {
	inp := one("azure", {"role": {"custom": false, "full_admin": true, "subscription_scope": true}})
	not "r1" in rule.fail with input as inp
}

test_pass_custom_limited_actions if {
	not "r1" in rule.fail with input as one("azure", {"role": {"custom": true, "full_admin": false, "actions": ["Microsoft.Compute/*/read"], "subscription_scope": true}})
}

test_pass_custom_star_on_resource_group if {
	not "r1" in rule.fail with input as one("azure", {"role": {"custom": true, "full_admin": true, "subscription_scope": false}})
}

test_unknown_scope_absent if {
	inp := one("azure", {"role": {"custom": true, "full_admin": true}})
	not "r1" in rule.skip with input as inp
	not "r1" in rule.fail with input as inp
}

test_skip_other_resources if {
	"r1" in rule.skip with input as one("azure", {})
}
