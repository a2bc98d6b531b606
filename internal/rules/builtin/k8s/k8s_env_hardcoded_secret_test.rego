package vigil.rules.k8s_env_hardcoded_secret_test

import data.vigil.rules.k8s_env_hardcoded_secret as rule

one(facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"kubernetes_workload": [{"id": "r1", "provider": "kubernetes", "type": "Deployment.apps", "facts": {"workload": facts}}]}}

test_fail_password if {
	"r1" in rule.fail with input as one({"environment_secrets": ["app: DB_PASSWORD"]})
	rule.message.r1 with input as one({"environment_secrets": ["app: DB_PASSWORD"]})
}

test_pass_none if {
	inp := one({"environment_secrets": []})
	not "r1" in rule.fail with input as inp
}

test_unknown_not_read if {
	inp := one({"kind": "Pod"})
	not "r1" in rule.fail with input as inp
}
