package vigil.rules.lb_deletion_protection_disabled_test

import data.vigil.rules.lb_deletion_protection_disabled as rule

now := "2026-11-24T00:00:00Z"

lb(facts) := {"now": now, "resources": {"load_balancer": [{"id": "r1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::LoadBalancer", "facts": facts}]}}

test_fail_unprotected if {
	inp := lb({"load_balancer": {"public": true, "deletion_protection": false}})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "deletion protection is disabled" with input as inp
}

test_pass_protected if {
	not "r1" in rule.fail with input as lb({"load_balancer": {"deletion_protection": true}})
}

test_unknown_when_absent if {
	not "r1" in rule.fail with input as lb({"load_balancer": {"public": true}})
}

test_skip_listener if {
	inp := {"now": now, "resources": {"load_balancer": [{"id": "r1", "provider": "aws", "type": "AWS::ElasticLoadBalancingV2::Listener", "facts": {"load_balancer": {"http_listener": true}}}]}}
	not "r1" in rule.fail with input as inp
}
