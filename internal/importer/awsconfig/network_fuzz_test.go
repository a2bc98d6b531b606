package awsconfig

import (
	"context"
	"testing"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// FuzzNetworkItems feeds arbitrary Config snapshots seeded with the
// network items read for reachability (AWS::EC2::NetworkInterface,
// AWS::EC2::Subnet, an ELBv2 load balancer's subnets): nothing may panic,
// every resource has a provider, an ID and a class, and an interface's
// IPv6 answer is only true with an address.
func FuzzNetworkItems(f *testing.F) {
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::EC2::NetworkInterface","ARN":"arn:aws:ec2:us-east-1:1:network-interface/eni-1","resourceId":"eni-1","awsRegion":"us-east-1","configuration":{"subnetId":"subnet-1","vpcId":"vpc-1","groups":[{"groupId":"sg-1"}],"privateIpAddress":"10.0.0.4","privateIpAddresses":[{"privateIpAddress":"10.0.0.4","association":{"publicIp":"3.3.3.3"}}],"ipv6Addresses":[{"ipv6Address":"2600:1f18::1"}]}}]}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::EC2::NetworkInterface","ARN":"e","awsRegion":"r","configuration":{"ipv6Addresses":"::1","groups":{"groupId":1}}}]}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::EC2::Subnet","ARN":"arn:aws:ec2:us-east-1:1:subnet/subnet-1","awsRegion":"us-east-1","configuration":{"vpcId":"vpc-1","cidrBlock":"10.0.1.0/24","ipv6CidrBlockAssociationSet":[{"ipv6CidrBlock":"2600:1f18:1::/64"}]}}]}`))
	f.Add([]byte(`{"configurationItems":[{"resourceType":"AWS::ElasticLoadBalancingV2::LoadBalancer","ARN":"lb","awsRegion":"r","configuration":{"scheme":"internet-facing","availabilityZones":[{"subnetId":"subnet-1"},{"subnetId":7}]}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var doc any
		if attr.Decode(data, &doc) != nil || Detect(doc) == "" {
			return
		}
		res := Parse(context.Background(), "fuzz.us-east-1.json", doc)
		checkResources(t, res.Resources)
		for _, r := range res.Resources {
			if a := r.Facts.Addressing; r.Type == TypeNetworkInterface && a != nil && a.PublicIPv6 != nil && *a.PublicIPv6 && len(a.PublicIPs) == 0 {
				t.Fatalf("%s: an IPv6 address without its address", r.ID)
			}
		}
	})
}
