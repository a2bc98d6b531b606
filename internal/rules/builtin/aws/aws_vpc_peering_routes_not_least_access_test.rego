package vigil.rules.aws_vpc_peering_routes_not_least_access_test

import data.vigil.rules.aws_vpc_peering_routes_not_least_access as rule

one(network) := {"resources": {"network": [{"id": "r1", "provider": "aws", "type": "AWS::EC2::VPC", "facts": {"network": network}}]}}

test_fail_whole_peer_vpc if {
	inp := one({"peering_routes_least_access": false, "peering_broad_routes": ["rtb-1: 10.20.0.0/16 -> pcx-1"]})
	"r1" in rule.fail with input as inp
	rule.message.r1 == "routes to a whole peer VPC: rtb-1: 10.20.0.0/16 -> pcx-1" with input as inp
}

test_pass_narrow_routes if {
	not "r1" in rule.fail with input as one({"peering_routes_least_access": true})
}

test_unknown_without_route_tables if {
	not "r1" in rule.fail with input as one({"flow_logs": true})
}
