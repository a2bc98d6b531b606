package vigil.rules.function_https_only_test

import data.vigil.rules.function_https_only as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_function_app_http if {
	"r1" in rule.fail with input as one("azure", {"https_only": false})
}

test_fail_cloud_function_optional if {
	"r1" in rule.fail with input as one("gcp", {"https_only": false})
}

test_pass_https_only if {
	inp := one("azure", {"https_only": true})
	not "r1" in rule.fail with input as inp
}

test_unknown_setting_not_exported if {
	inp := one("gcp", {"runtime": "python312"})
	not "r1" in rule.fail with input as inp
}
