package vigil.rules.function_runtime_deprecated_test

import data.vigil.rules.function_runtime_deprecated as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_python37 if {
	"r1" in rule.fail with input as one("aws", {"runtime": "python3.7", "runtime_deprecated": true})
}

test_fail_node16_function_app if {
	"r1" in rule.fail with input as one("azure", {"runtime": "NODE|16", "runtime_deprecated": true})
}

test_fail_go111 if {
	"r1" in rule.fail with input as one("gcp", {"runtime": "go111", "runtime_deprecated": true})
}

test_pass_python312 if {
	inp := one("aws", {"runtime": "python3.12", "runtime_deprecated": false})
	not "r1" in rule.fail with input as inp
}

test_unknown_container_image if {
	inp := one("azure", {"runtime": "DOCKER|myimage:1"})
	not "r1" in rule.fail with input as inp
}
