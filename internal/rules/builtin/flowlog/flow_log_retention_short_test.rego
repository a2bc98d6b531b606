package vigil.rules.flow_log_retention_short_test

import data.vigil.rules.flow_log_retention_short as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"flow_log": [{"id": "r1", "provider": provider, "type": type, "facts": {"flow_log": facts}}]}}

test_fail_thirty_days if {
	"r1" in rule.fail with input as one("azure", {"enabled": true, "retention_days": 30})
}

test_pass_ninety_days if {
	inp := one("azure", {"enabled": true, "retention_days": 90})
	not "r1" in rule.fail with input as inp
}

test_pass_kept_forever if {
	inp := one("azure", {"enabled": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_status_not_exported if {
	inp := one("azure", {"retention_days": 7})
	not "r1" in rule.fail with input as inp
}
