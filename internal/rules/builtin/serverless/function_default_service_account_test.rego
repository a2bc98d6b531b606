package vigil.rules.function_default_service_account_test

import data.vigil.rules.function_default_service_account as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_compute_default if {
	"r1" in rule.fail with input as one("gcp", {"identity": "123456789012-compute@developer.gserviceaccount.com"})
}

test_fail_appspot_default if {
	"r1" in rule.fail with input as one("gcp", {"identity": "nw-analytics-prod@appspot.gserviceaccount.com"})
}

test_pass_dedicated if {
	inp := one("gcp", {"identity": "etl-fn@nw-analytics-prod.iam.gserviceaccount.com"})
	not "r1" in rule.fail with input as inp
}

test_unknown_identity_not_exported if {
	inp := one("gcp", {"runtime": "python312"})
	not "r1" in rule.fail with input as inp
}
