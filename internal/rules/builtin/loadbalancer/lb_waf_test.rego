package vigil.rules.lb_waf_test

import data.vigil.rules.lb_waf as rule

one(provider, facts) := typed(provider, "T", facts)

typed(provider, type, facts) := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "r1", "provider": provider, "type": type, "facts": {"load_balancer": facts}}]}}

test_fail_app_gateway_standard if {
	"r1" in rule.fail with input as one("azure", {"public": true, "waf": false, "listeners": [{"protocol": "Http", "port": 80}]})
}

test_fail_gcp_no_cloud_armor if {
	"r1" in rule.fail with input as one("gcp", {"public": true, "waf": false, "listeners": [{"protocol": "HTTPS", "port": 443}]})
}

test_fail_alb_without_web_acl if {
	"r1" in rule.fail with input as one("aws", {"public": true, "waf": false, "listeners": [{"protocol": "HTTPS", "port": 443}]})
}

test_pass_waf_attached if {
	inp := one("azure", {"public": true, "waf": true, "listeners": [{"protocol": "Https", "port": 443}]})
	not "r1" in rule.fail with input as inp
}

test_pass_layer4_balancer if {
	inp := one("azure", {"public": true, "waf": false, "listeners": [{"protocol": "Tcp", "port": 443}]})
	not "r1" in rule.fail with input as inp
}

test_pass_internal_alb if {
	inp := one("aws", {"public": false, "waf": false, "listeners": [{"protocol": "HTTP", "port": 80}]})
	not "r1" in rule.fail with input as inp
}

test_skip_listeners_unknown if {
	inp := one("gcp", {"public": true, "waf": false})
	not "r1" in rule.fail with input as inp
}

test_fail_alb_with_https_listener_resource if {
	"lb1" in rule.fail with input as {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": true, "waf": false}}}, {"id": "l443", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"listeners": [{"protocol": "HTTPS", "port": 443, "min_tls_version": "1.2"}]}}}]}}
}

test_pass_nlb_with_tcp_listener_resource if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "lb1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": {"public": true, "waf": false}}}, {"id": "l5432", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"listeners": [{"protocol": "TCP", "port": 5432}]}}}]}}
	not "lb1" in rule.fail with input as inp
}

test_skip_listener_resource if {
	inp := {"now": "2026-11-24T00:00:00Z", "resources": {"load_balancer": [{"id": "l443", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "relationships": [{"type": "listener_of", "target_id": "lb1"}], "facts": {"load_balancer": {"listeners": [{"protocol": "HTTPS", "port": 443}]}}}]}}
	not "l443" in rule.fail with input as inp
}

test_unknown_waf_not_exported if {
	inp := one("aws", {"public": true, "listeners": [{"protocol": "HTTPS", "port": 443}]})
	not "r1" in rule.fail with input as inp
}
