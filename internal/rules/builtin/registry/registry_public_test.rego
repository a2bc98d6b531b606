package vigil.rules.registry_public_test

import data.vigil.rules.registry_public as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"container_registry": [{"id": "r1", "provider": provider, "type": type, "facts": {"registry": facts}}]}}

test_fail_ecr_principal_star if {
	"r1" in rule.fail with input as one("aws", {"public": true})
}

test_fail_acr_anonymous_pull if {
	"r1" in rule.fail with input as one("azure", {"public": true, "admin_user": false})
}

test_fail_artifact_registry_all_users if {
	"r1" in rule.fail with input as one("gcp", {"public": true})
}

test_pass_private if {
	inp := one("azure", {"public": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_policy_not_exported if {
	inp := one("aws", {"image_scanning": true})
	not "r1" in rule.fail with input as inp
}
