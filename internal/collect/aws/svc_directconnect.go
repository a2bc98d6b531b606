package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/directconnect"
	dxtypes "github.com/aws/aws-sdk-go-v2/service/directconnect/types"
)

// dxSecrets are the members of a virtual interface left out of the
// exports: the BGP MD5 key (of the interface and of each BGP peer) and the
// customer router configuration, which holds it too.
var dxSecrets = []string{"AuthKey", "CustomerRouterConfig"}

// runDXInterfaces writes the region's Direct Connect virtual interfaces
// as `aws directconnect describe-virtual-interfaces` prints them
// (directconnect-describe-virtual-interfaces/virtual-interfaces.<region>.json,
// lower camel case members), for reachability (vigil reach: the on-premises
// end of a virtual private gateway or Direct Connect gateway). Nothing is
// written in a region without interfaces; a failed call leaves the
// region's interfaces unknown.
func runDXInterfaces(ctx context.Context, t *Task) error {
	c := directconnect.NewFromConfig(t.Config)
	out, err := c.DescribeVirtualInterfaces(ctx, &directconnect.DescribeVirtualInterfacesInput{})
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t.Fail("directconnect", "directconnect:DescribeVirtualInterfaces", "", err)
		return nil
	}
	if len(out.VirtualInterfaces) > 0 {
		t.CLI("directconnect-describe-virtual-interfaces/virtual-interfaces."+t.Region+".json",
			cliForm(map[string]any{"virtualInterfaces": out.VirtualInterfaces}, true, dxSecrets...))
	}
	return nil
}

// runDXGateways reads the account's Direct Connect gateways (global: one
// listing from the partition's home region) and writes each gateway's
// associations with virtual private and transit gateways, with their
// allowed prefixes, as `aws directconnect
// describe-direct-connect-gateway-associations --direct-connect-gateway-id ID`
// prints them
// (directconnect-describe-direct-connect-gateway-associations/<gateway id>.json;
// the associations name their gateways' regions). A gateway without
// associations writes none; a listing that failed part-way writes nothing
// for that gateway, so that its associations are unknown rather than
// fewer.
func runDXGateways(ctx context.Context, t *Task) error {
	c := directconnect.NewFromConfig(t.Config)
	var gws []dxtypes.DirectConnectGateway
	Pages(ctx, t, "directconnect", "directconnect:DescribeDirectConnectGateways", "",
		func(ctx context.Context, tok *string) (*directconnect.DescribeDirectConnectGatewaysOutput, *string, error) {
			o, err := c.DescribeDirectConnectGateways(ctx, &directconnect.DescribeDirectConnectGatewaysInput{NextToken: tok})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *directconnect.DescribeDirectConnectGatewaysOutput) {
			gws = append(gws, o.DirectConnectGateways...)
		})
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return each(ctx, gws, func(gw dxtypes.DirectConnectGateway) {
		id := aws.ToString(gw.DirectConnectGatewayId)
		if id == "" {
			return
		}
		arn := t.ARN("directconnect", "", t.Account, "dx-gateway/"+id)
		var assocs []dxtypes.DirectConnectGatewayAssociation
		if !Pages(ctx, t, "directconnect", "directconnect:DescribeDirectConnectGatewayAssociations", arn,
			func(ctx context.Context, tok *string) (*directconnect.DescribeDirectConnectGatewayAssociationsOutput, *string, error) {
				o, err := c.DescribeDirectConnectGatewayAssociations(ctx, &directconnect.DescribeDirectConnectGatewayAssociationsInput{
					DirectConnectGatewayId: aws.String(id), NextToken: tok})
				if err != nil {
					return nil, nil, err
				}
				return o, o.NextToken, nil
			}, func(o *directconnect.DescribeDirectConnectGatewayAssociationsOutput) {
				assocs = append(assocs, o.DirectConnectGatewayAssociations...)
			}) || len(assocs) == 0 {
			return
		}
		t.CLI("directconnect-describe-direct-connect-gateway-associations/"+id+".json",
			cliForm(map[string]any{"directConnectGatewayAssociations": assocs}, true))
	})
}
