package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// links: the region's VPC peering connections, virtual private gateways,
// customer gateways and Site-to-Site VPN connections as AWS Config records
// them (the EC2 shapes: requesterVpcInfo, accepterVpcInfo and status;
// vpcAttachments; ipAddress; vpnGatewayId or transitGatewayId,
// customerGatewayId, options.tunnelOptions, routes, vgwTelemetry), which
// vigil reach follows from a route (pcx-, vgw-) to the network behind
// it. A VPN connection's secrets are left out: its customer gateway
// configuration (which holds the tunnels' pre-shared keys) and each
// tunnel's PreSharedKey.
func (e *ec2Collector) links(ctx context.Context) {
	ec2List(ctx, e.t, "ec2:DescribeVpcPeeringConnections", func(ctx context.Context, tok *string) (*ec2.DescribeVpcPeeringConnectionsOutput, *string, error) {
		o, err := e.cl.DescribeVpcPeeringConnections(ctx, &ec2.DescribeVpcPeeringConnectionsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeVpcPeeringConnectionsOutput) {
		for _, p := range o.VpcPeeringConnections {
			id := aws.ToString(p.VpcPeeringConnectionId)
			var rels []Relationship
			for _, v := range []*string{vpcOf(p.RequesterVpcInfo), vpcOf(p.AccepterVpcInfo)} {
				if aws.ToString(v) != "" {
					rels = append(rels, ec2Rel("AWS::EC2::VPC", *v, "Is associated with Vpc"))
				}
			}
			e.t.Item(Item{ResourceType: "AWS::EC2::VPCPeeringConnection", ResourceID: id, ARN: e.arn("vpc-peering-connection/" + id),
				Tags: ec2Tags(p.Tags), Relationships: rels, Configuration: camel(p)})
		}
	})
	if o, err := e.cl.DescribeVpnGateways(ctx, &ec2.DescribeVpnGatewaysInput{}); err != nil {
		e.fail(ctx, "ec2:DescribeVpnGateways", err)
	} else {
		for _, g := range o.VpnGateways {
			id := aws.ToString(g.VpnGatewayId)
			var rels []Relationship
			for _, a := range g.VpcAttachments {
				rels = append(rels, ec2Rel("AWS::EC2::VPC", aws.ToString(a.VpcId), "Is attached to Vpc"))
			}
			e.t.Item(Item{ResourceType: "AWS::EC2::VPNGateway", ResourceID: id, ARN: e.arn("vpn-gateway/" + id),
				Tags: ec2Tags(g.Tags), Relationships: rels, Configuration: camel(g)})
		}
	}
	if o, err := e.cl.DescribeCustomerGateways(ctx, &ec2.DescribeCustomerGatewaysInput{}); err != nil {
		e.fail(ctx, "ec2:DescribeCustomerGateways", err)
	} else {
		for _, g := range o.CustomerGateways {
			id := aws.ToString(g.CustomerGatewayId)
			e.t.Item(Item{ResourceType: "AWS::EC2::CustomerGateway", ResourceID: id, ARN: e.arn("customer-gateway/" + id),
				Tags: ec2Tags(g.Tags), Configuration: camel(g)})
		}
	}
	if o, err := e.cl.DescribeVpnConnections(ctx, &ec2.DescribeVpnConnectionsInput{}); err != nil {
		e.fail(ctx, "ec2:DescribeVpnConnections", err)
	} else {
		for _, c := range o.VpnConnections {
			id := aws.ToString(c.VpnConnectionId)
			c.CustomerGatewayConfiguration = nil // the tunnels' pre-shared keys, in the device configuration
			if c.Options != nil {
				for i := range c.Options.TunnelOptions {
					c.Options.TunnelOptions[i].PreSharedKey = nil
				}
			}
			var rels []Relationship
			if g := aws.ToString(c.VpnGatewayId); g != "" {
				rels = append(rels, ec2Rel("AWS::EC2::VPNGateway", g, "Is attached to VPNGateway"))
			}
			if g := aws.ToString(c.CustomerGatewayId); g != "" {
				rels = append(rels, ec2Rel("AWS::EC2::CustomerGateway", g, "Is attached to CustomerGateway"))
			}
			e.t.Item(Item{ResourceType: "AWS::EC2::VPNConnection", ResourceID: id, ARN: e.arn("vpn-connection/" + id),
				Tags: ec2Tags(c.Tags), Relationships: rels, Configuration: camel(c)})
		}
	}
}

// fail reports a failed single-answer EC2 call (not when ctx is done).
func (e *ec2Collector) fail(ctx context.Context, call string, err error) {
	if ctx.Err() == nil {
		e.t.Fail("ec2", call, "", err)
	}
}

func vpcOf(v *ec2types.VpcPeeringConnectionVpcInfo) *string {
	if v == nil {
		return nil
	}
	return v.VpcId
}

// vpcEndpoints writes the region's VPC endpoints as `aws ec2
// describe-vpc-endpoints` prints them (ec2-describe-vpc-endpoints.<region>.json,
// an empty list included: CIS AWS 7.0 6.8, a region whose VPCs have none
// reads as such only from the whole listing). A listing that failed after
// its first page is written with what was read and the NextToken it
// stopped at (its VPCs have endpoints, the others are unknown); one whose
// first page failed writes nothing.
func (e *ec2Collector) vpcEndpoints(ctx context.Context) {
	list := []ec2types.VpcEndpoint{}
	var next *string
	first := true
	complete := ec2List(ctx, e.t, "ec2:DescribeVpcEndpoints", func(ctx context.Context, tok *string) (*ec2.DescribeVpcEndpointsOutput, *string, error) {
		o, err := e.cl.DescribeVpcEndpoints(ctx, &ec2.DescribeVpcEndpointsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeVpcEndpointsOutput) {
		list = append(list, o.VpcEndpoints...)
		next, first = o.NextToken, false
	})
	if first {
		return
	}
	writeListing(e.t, "ec2-describe-vpc-endpoints."+e.t.Region+".json", false,
		map[string]any{"VpcEndpoints": list}, "NextToken", complete, next)
}
