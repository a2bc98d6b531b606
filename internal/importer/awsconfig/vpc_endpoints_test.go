package awsconfig_test

import "testing"

// TestVPCEndpoints: CIS AWS 7.0 6.8 from Config's VPC endpoint items (the
// EC2 shape, and CloudFormation's VpcId): a VPC with an endpoint in use has
// them; another VPC of the same account and region has none (false); a VPC
// whose only endpoint is deleted has none; a VPC of a region the input
// holds no endpoint of is unknown.
func TestVPCEndpoints(t *testing.T) {
	const acct = "111122223333"
	arn := func(region, kind, id string) string {
		return "arn:aws:ec2:" + region + ":" + acct + ":" + kind + "/" + id
	}
	vpc := func(region, id string) map[string]any {
		return map[string]any{"resourceType": "AWS::EC2::VPC", "resourceId": id, "ARN": arn(region, "vpc", id), "awsRegion": region,
			"configuration": map[string]any{"vpcId": id, "cidrBlock": "10.0.0.0/16"}}
	}
	endpoint := func(id string, cfg map[string]any) map[string]any {
		return map[string]any{"resourceType": "AWS::EC2::VPCEndpoint", "resourceId": id, "ARN": arn("us-east-1", "vpc-endpoint", id),
			"awsRegion": "us-east-1", "configuration": cfg}
	}
	items := []map[string]any{
		vpc("us-east-1", "vpc-a"), vpc("us-east-1", "vpc-b"), vpc("us-east-1", "vpc-c"), vpc("us-east-1", "vpc-d"), vpc("eu-west-1", "vpc-e"),
		endpoint("vpce-1", map[string]any{"vpcEndpointId": "vpce-1", "vpcEndpointType": "Gateway", "vpcId": "vpc-a",
			"serviceName": "com.amazonaws.us-east-1.s3", "state": "available"}),
		endpoint("vpce-2", map[string]any{"VpcEndpointType": "Interface", "VpcId": "vpc-c", "ServiceName": "com.amazonaws.us-east-1.sts"}),
		endpoint("vpce-3", map[string]any{"vpcEndpointId": "vpce-3", "vpcId": "vpc-d", "state": "deleted"}),
	}
	_, m := loadFiles(t, map[string]any{"aws/" + acct + "/config/snapshot.json": configSnapshot(items...)})
	for _, c := range []struct{ region, vpc, want string }{
		{"us-east-1", "vpc-a", "true"}, {"us-east-1", "vpc-b", "false"}, {"us-east-1", "vpc-c", "true"},
		{"us-east-1", "vpc-d", "false"}, {"eu-west-1", "vpc-e", "nil"},
	} {
		r := m[arn(c.region, "vpc", c.vpc)]
		if r == nil || r.Facts.Network == nil {
			t.Fatalf("%s: %+v", c.vpc, r)
		}
		if got := bp(r.Facts.Network.VPCEndpoints); got != c.want {
			t.Errorf("%s: vpc_endpoints %s, want %s", c.vpc, got, c.want)
		}
	}
}
