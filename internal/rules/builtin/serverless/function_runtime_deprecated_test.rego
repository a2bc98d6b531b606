package vigil.rules.function_runtime_deprecated_test

import data.vigil.rules.function_runtime_deprecated as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"function": [{"id": "r1", "provider": provider, "type": type, "facts": {"function": facts}}]}}

test_fail_python37 if {
	"r1" in rule.fail with input as one("aws", {"runtime": "python3.7", "runtime_end_of_support": "2023-12-04T00:00:00Z"})
}

test_fail_node16_function_app if {
	"r1" in rule.fail with input as one("azure", {"runtime": "NODE|16", "runtime_end_of_support": "2024-06-30T00:00:00Z"})
}

test_fail_go111 if {
	"r1" in rule.fail with input as one("gcp", {"runtime": "go111", "runtime_end_of_support": "2020-08-05T00:00:00Z"})
}

# The end-of-support date is the first day the runtime is unsupported.
test_fail_on_the_end_of_support_date if {
	"r1" in rule.fail with input as one("aws", {"runtime": "dotnet8", "runtime_end_of_support": "2026-11-24T00:00:00Z"})
}

test_message_names_runtime_and_date if {
	inp := one("aws", {"runtime": "python3.8", "runtime_end_of_support": "2024-10-14T00:00:00Z"})
	rule.message.r1 == "runtime python3.8 reached its end of support on 2024-10-14" with input as inp
}

test_pass_python312 if {
	inp := one("aws", {"runtime": "python3.12", "runtime_end_of_support": "2028-10-31T00:00:00Z"})
	not "r1" in rule.fail with input as inp
}

test_pass_a_second_before_end_of_support if {
	inp := one("gcp", {"runtime": "nodejs22", "runtime_end_of_support": "2026-11-24T00:00:01Z"})
	not "r1" in rule.fail with input as inp
}

test_unknown_container_image if {
	inp := one("azure", {"runtime": "DOCKER|myimage:1"})
	not "r1" in rule.fail with input as inp
}

test_unknown_runtime_not_in_the_table if {
	inp := one("gcp", {"runtime": "go126"})
	not "r1" in rule.fail with input as inp
}
