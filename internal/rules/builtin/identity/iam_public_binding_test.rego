package vigil.rules.iam_public_binding_test

import data.vigil.rules.iam_public_binding as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"iam_binding": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_public_azure if {
	"r1" in rule.fail with input as one("azure", {"binding": {"public": true}})
}

test_fail_public_gcp if {
	"r1" in rule.fail with input as one("gcp", {"binding": {"public": true}})
}

test_pass_public if {
	inp := one("azure", {"binding": {"public": false}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_public_absent if {
	inp := one("azure", {"binding": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("azure", {})
	not "r1" in rule.fail with input as inp
}
