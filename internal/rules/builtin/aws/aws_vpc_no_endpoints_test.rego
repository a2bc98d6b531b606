package vigil.rules.aws_vpc_no_endpoints_test

import data.vigil.rules.aws_vpc_no_endpoints as rule

one(network) := {"resources": {"network": [{"id": "v1", "provider": "aws", "type": "AWS::EC2::VPC", "facts": {"network": network}}]}}

test_fail_no_endpoint if {
	"v1" in rule.fail with input as one({"vpc_endpoints": false, "default": false})
}

test_pass_s3_gateway_endpoint if {
	not "v1" in rule.fail with input as one({"vpc_endpoints": true, "default": false})
}

test_unknown_region_not_listed if {
	not "v1" in rule.fail with input as one({"default": false, "flow_logs": true})
}
