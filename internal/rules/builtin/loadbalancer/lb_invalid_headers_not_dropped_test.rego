package vigil.rules.lb_invalid_headers_not_dropped_test

import data.vigil.rules.lb_invalid_headers_not_dropped as rule

alb(facts) := {"resources": {"load_balancer": [{"id": "r1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": {"load_balancer": facts}}]}}

test_fail_alb_forwards_invalid_headers if {
	"r1" in rule.fail with input as alb({"drop_invalid_headers": false, "listeners": [{"protocol": "HTTPS", "port": 443}]})
}

test_fail_listeners_unknown if {
	"r1" in rule.fail with input as alb({"drop_invalid_headers": false})
}

test_pass_drops_invalid_headers if {
	not "r1" in rule.fail with input as alb({"drop_invalid_headers": true, "listeners": [{"protocol": "HTTP", "port": 80}]})
}

test_skip_network_load_balancer if {
	inp := alb({"drop_invalid_headers": false, "listeners": [{"protocol": "TCP", "port": 5432}, {"protocol": "TLS", "port": 443}]})
	not "r1" in rule.fail with input as inp
	"r1" in rule.skip with input as inp
}

test_unknown_attribute_not_exported if {
	not "r1" in rule.fail with input as alb({"listeners": [{"protocol": "HTTPS", "port": 443}]})
}
