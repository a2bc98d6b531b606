package vigil.rules.azure_storage_min_tls_test

import data.vigil.rules.azure_storage_min_tls as rule

now := "2026-11-24T00:00:00Z"

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": now, "resources": {"object_storage": [{"id": "r1", "provider": provider, "type": type, "facts": facts}]}}

test_fail_tls_1_0 if {
	inp := one("azure", {"storage": {"min_tls_version": "1.0"}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "minimum TLS version is 1.0" with input as inp
}

test_fail_tls_1_1 if {
	"r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "1.1"}})
}

test_pass_tls_1_2 if {
	inp := one("azure", {"storage": {"min_tls_version": "1.2"}})
	not "r1" in rule.fail with input as inp
}

test_pass_tls_1_3 if {
	not "r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "1.3"}})
}

test_unknown_absent if {
	not "r1" in rule.fail with input as one("azure", {"storage": {}})
}

test_fail_export_spelling if {
	"r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "TLS1_0"}})
}

test_pass_export_spelling if {
	not "r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "TLS1_2"}})
}

test_fail_other_export_spellings if {
	"r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "tlsv1.1"}})
	"r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "TLS1.0"}})
	"r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "1"}})
}

test_pass_tls_1_3_export_spelling if {
	not "r1" in rule.fail with input as one("azure", {"storage": {"min_tls_version": "TLS1_3"}})
}
