package vigil.rules.lb_access_logs_test

import data.vigil.rules.lb_access_logs as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "r1", "provider": provider, "type": type, "facts": {"load_balancer": facts}}]}}

test_fail_alb_no_logs if {
	"r1" in rule.fail with input as one("aws", {"access_logs": false})
}

test_fail_gcp_backend_no_logs if {
	"r1" in rule.fail with input as one("gcp", {"access_logs": false})
}

test_pass_logs_on if {
	inp := one("aws", {"access_logs": true})
	not "r1" in rule.fail with input as inp
}

test_skip_listener_resource if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "l443", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"listeners": [{"protocol": "HTTPS", "port": 443}]}}}]}}
	not "l443" in rule.fail with input as inp
}

test_unknown_attributes_not_exported if {
	inp := one("gcp", {"public": true})
	not "r1" in rule.fail with input as inp
}
