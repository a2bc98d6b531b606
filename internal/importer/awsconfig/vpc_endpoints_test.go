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

// TestVPCEndpointListings: CIS AWS 7.0 6.8 from aws ec2
// describe-vpc-endpoints, one file per region: a region's whole listing
// decides its VPCs, an empty one included (no VPC has an endpoint); a
// deleted endpoint does not count; a listing cut short (NextToken) gives
// its VPCs but leaves the others unknown, as does a region without one.
func TestVPCEndpointListings(t *testing.T) {
	const acct = "111122223333"
	arn := func(region, id string) string { return "arn:aws:ec2:" + region + ":" + acct + ":vpc/" + id }
	vpc := func(region, id string) map[string]any {
		return map[string]any{"resourceType": "AWS::EC2::VPC", "resourceId": id, "ARN": arn(region, id), "awsRegion": region,
			"configuration": map[string]any{"vpcId": id, "cidrBlock": "10.0.0.0/16"}}
	}
	ep := func(id, vpc, state string) map[string]any {
		return map[string]any{"VpcEndpointId": id, "VpcEndpointType": "Gateway", "VpcId": vpc, "ServiceName": "com.amazonaws.us-east-1.s3", "State": state,
			"RouteTableIds": []any{"rtb-1"}, "SubnetIds": []any{}, "Groups": []any{}, "PrivateDnsEnabled": false, "RequesterManaged": false,
			"NetworkInterfaceIds": []any{}, "DnsEntries": []any{}, "CreationTimestamp": "2026-01-02T03:04:05Z", "Tags": []any{}, "OwnerId": acct}
	}
	cli := "aws/" + acct + "/cli/ec2-describe-vpc-endpoints."
	_, m := loadFiles(t, map[string]any{
		"aws/" + acct + "/config/snapshot.json": configSnapshot(vpc("us-east-1", "vpc-a"), vpc("us-east-1", "vpc-b"), vpc("us-east-1", "vpc-d"),
			vpc("eu-west-1", "vpc-e"), vpc("ap-south-1", "vpc-f"), vpc("ap-south-1", "vpc-g"), vpc("sa-east-1", "vpc-h")),
		cli + "us-east-1.json":  map[string]any{"VpcEndpoints": []any{ep("vpce-1", "vpc-a", "Available"), ep("vpce-2", "vpc-d", "Deleted")}},
		cli + "eu-west-1.json":  map[string]any{"VpcEndpoints": []any{}},
		cli + "ap-south-1.json": map[string]any{"VpcEndpoints": []any{ep("vpce-3", "vpc-f", "Available")}, "NextToken": "eyJ2IjoyfQ=="},
	})
	for _, c := range []struct{ region, vpc, want string }{
		{"us-east-1", "vpc-a", "true"}, {"us-east-1", "vpc-b", "false"}, {"us-east-1", "vpc-d", "false"},
		{"eu-west-1", "vpc-e", "false"}, {"ap-south-1", "vpc-f", "true"}, {"ap-south-1", "vpc-g", "nil"}, {"sa-east-1", "vpc-h", "nil"},
	} {
		r := m[arn(c.region, c.vpc)]
		if r == nil || r.Facts.Network == nil {
			t.Fatalf("%s: %+v", c.vpc, r)
		}
		if got := bp(r.Facts.Network.VPCEndpoints); got != c.want {
			t.Errorf("%s: vpc_endpoints %s, want %s", c.vpc, got, c.want)
		}
	}
}
