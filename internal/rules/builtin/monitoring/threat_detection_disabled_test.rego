package vigil.rules.threat_detection_disabled_test

import data.vigil.rules.threat_detection_disabled as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"account": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_threat_detection_aws if {
	"r1" in rule.fail with input as one("aws", {"account": {"threat_detection": false}})
}

test_fail_threat_detection_azure if {
	"r1" in rule.fail with input as one("azure", {"account": {"threat_detection": false}})
}

test_fail_threat_detection_gcp if {
	"r1" in rule.fail with input as one("gcp", {"account": {"threat_detection": false}})
}

test_pass_threat_detection if {
	inp := one("aws", {"account": {"threat_detection": true}})
	not "r1" in rule.fail with input as inp
}

test_unknown_when_threat_detection_absent if {
	inp := one("aws", {"account": {}})
	not "r1" in rule.fail with input as inp
}

test_unknown_without_facts if {
	inp := one("aws", {})
	not "r1" in rule.fail with input as inp
}
