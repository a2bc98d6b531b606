package vigil.rules.lb_http_listener_test

import data.vigil.rules.lb_http_listener as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "r1", "provider": provider, "type": type, "facts": {"load_balancer": facts}}]}}

test_fail_clb_http if {
	"r1" in rule.fail with input as one("aws", {"public": true, "http_listener": true, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": false}]})
}

test_fail_app_gateway_port_80 if {
	"r1" in rule.fail with input as one("azure", {"public": true, "http_listener": true})
}

test_fail_listener_without_redirect if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "http_listener": false, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": false}]})
}

test_pass_http_redirects_to_https if {
	inp := one("aws", {"public": true, "http_listener": false, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": true}, {"protocol": "HTTPS", "port": 443, "min_tls_version": "1.2"}]})
	not "r1" in rule.fail with input as inp
}

test_pass_internal_http if {
	inp := one("azure", {"public": false, "http_listener": true})
	not "r1" in rule.fail with input as inp
}

test_skip_exposure_unknown if {
	inp := one("gcp", {"http_listener": true})
	not "r1" in rule.fail with input as inp
}

test_skip_gcp_backend_service if {
	inp := typed("gcp", "compute.googleapis.com/BackendService", {"public": true, "access_logs": false, "waf": false})
	not "r1" in rule.fail with input as inp
}

test_fail_alb_listener_of_public_lb if {
	"l80" in rule.fail with input as {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": true}}}, {"id": "l80", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"http_listener": true, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": false}]}}}]}}
}

test_pass_alb_listener_of_internal_lb if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": false}}}, {"id": "l80", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"http_listener": true, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": false}]}}}]}}
	not "l80" in rule.fail with input as inp
}

test_pass_alb_redirect_listener if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": true}}}, {"id": "l80", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"http_listener": false, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": true}]}}}]}}
	not "l80" in rule.fail with input as inp
}

test_skip_alb_judged_through_listeners if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": true}}}, {"id": "l80", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"http_listener": false, "listeners": [{"protocol": "HTTP", "port": 80, "redirects_to_https": true}]}}}]}}
	not "lb1" in rule.fail with input as inp
}

test_unknown_listeners_not_judged if {
	inp := one("aws", {"public": true})
	not "r1" in rule.fail with input as inp
}
