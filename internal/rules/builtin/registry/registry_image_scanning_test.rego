package vigil.rules.registry_image_scanning_test

import data.vigil.rules.registry_image_scanning as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"container_registry": [{"id": "r1", "provider": provider, "type": type, "facts": {"registry": facts}}]}}

test_fail_ecr_no_scan_on_push if {
	"r1" in rule.fail with input as one("aws", {"image_scanning": false})
}

test_fail_artifact_registry_no_scanning if {
	"r1" in rule.fail with input as one("gcp", {"image_scanning": false})
}

test_pass_scanning if {
	inp := one("aws", {"image_scanning": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_scanning_not_exported if {
	inp := one("gcp", {"public": false})
	not "r1" in rule.fail with input as inp
}
