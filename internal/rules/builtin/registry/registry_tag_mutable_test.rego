package vigil.rules.registry_tag_mutable_test

import data.vigil.rules.registry_tag_mutable as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"container_registry": [{"id": "r1", "provider": provider, "type": type, "facts": {"registry": facts}}]}}

test_fail_ecr_mutable if {
	"r1" in rule.fail with input as one("aws", {"tag_immutable": false})
}

test_fail_artifact_registry_mutable if {
	"r1" in rule.fail with input as one("gcp", {"tag_immutable": false})
}

test_pass_immutable if {
	inp := one("gcp", {"tag_immutable": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_mutability_not_exported if {
	inp := one("aws", {"image_scanning": true})
	not "r1" in rule.fail with input as inp
}
