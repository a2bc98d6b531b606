package vigil.rules.gcp_consumer_account_binding_test

import data.vigil.rules.gcp_consumer_account_binding as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": {"binding": facts}}]}}

test_fail_gmail_user if {
	"r1" in rule.fail with input as one("gcp", {"principal": "user:bob.contractor@gmail.com", "role": "roles/editor", "scope": "projects/p", "scope_level": "account"})
}

test_pass_corporate_user if {
	inp := one("gcp", {"principal": "user:bob@northwind.example", "role": "roles/editor", "scope": "projects/p", "scope_level": "account"})
	not "r1" in rule.fail with input as inp
}

test_unknown_principal_absent if {
	inp := one("gcp", {"principal": "", "role": "roles/viewer", "scope": "projects/p"})
	not "r1" in rule.fail with input as inp
}

test_fail_other_consumer_domain_user if {
	"r1" in rule.fail with input as one("gcp", {"principal": "user:temp@Yahoo.com", "role": "roles/viewer", "scope": "projects/p", "scope_level": "account"})
}
