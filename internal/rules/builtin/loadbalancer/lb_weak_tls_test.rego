package vigil.rules.lb_weak_tls_test

import data.vigil.rules.lb_weak_tls as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "r1", "provider": provider, "type": type, "facts": {"load_balancer": facts}}]}}

test_fail_elb_2016_policy if {
	"r1" in rule.fail with input as one("aws", {"weak_tls": true, "listeners": [{"protocol": "HTTPS", "port": 443, "tls_policy": "ELBSecurityPolicy-2016-08", "min_tls_version": "1.0"}]})
}

test_fail_app_gateway_2015 if {
	"r1" in rule.fail with input as one("azure", {"weak_tls": true})
}

test_fail_listener_tls11 if {
	"r1" in rule.fail with input as one("gcp", {"weak_tls": false, "listeners": [{"protocol": "HTTPS", "port": 443, "min_tls_version": "TLS_1_1"}]})
}

test_pass_tls12 if {
	inp := one("azure", {"weak_tls": false, "listeners": [{"protocol": "HTTPS", "port": 443, "min_tls_version": "1.2"}]})
	not "r1" in rule.fail with input as inp
}

test_pass_no_tls_listener if {
	inp := one("aws", {"weak_tls": false, "listeners": [{"protocol": "TCP", "port": 5432}]})
	not "r1" in rule.fail with input as inp
}

test_skip_gcp_backend_service if {
	inp := typed("gcp", "compute.googleapis.com/RegionBackendService", {"public": true, "access_logs": true})
	not "r1" in rule.fail with input as inp
}

test_skip_alb_judged_through_listeners if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": true}}}, {"id": "l443", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"weak_tls": true, "listeners": [{"protocol": "HTTPS", "port": 443, "min_tls_version": "1.0"}]}}}]}}
	not "lb1" in rule.fail with input as inp
}

test_unknown_policy_not_in_export if {
	inp := one("azure", {"public": true, "listeners": [{"protocol": "HTTPS", "port": 443, "tls_policy": "custom"}]})
	not "r1" in rule.fail with input as inp
}
