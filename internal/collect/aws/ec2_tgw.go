package awscollect

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
)

// transitGateways writes what AWS Config does not record of the region's
// transit gateways, as the CLI prints it, for reachability (vigil reach
// follows a VPC route to tgw-... through them): the attachments with
// their route table associations
// (ec2-describe-transit-gateway-attachments/attachments.<region>.json),
// and the routes of each route table an attachment is associated with
// (`aws ec2 search-transit-gateway-routes --filters
// Name=type,Values=static,propagated`, in
// ec2-search-transit-gateway-routes/<tgw-rtb-id>.<region>.json: the
// output does not name its table). Nothing is written in a region
// without attachments; a failed call leaves the table's routes unknown.
func (e *ec2Collector) transitGateways(ctx context.Context) {
	atts := []ec2types.TransitGatewayAttachment{}
	if !ec2List(ctx, e.t, "ec2:DescribeTransitGatewayAttachments", func(ctx context.Context, tok *string) (*ec2.DescribeTransitGatewayAttachmentsOutput, *string, error) {
		o, err := e.cl.DescribeTransitGatewayAttachments(ctx, &ec2.DescribeTransitGatewayAttachmentsInput{NextToken: tok})
		if err != nil {
			return nil, nil, err
		}
		return o, o.NextToken, nil
	}, func(o *ec2.DescribeTransitGatewayAttachmentsOutput) {
		atts = append(atts, o.TransitGatewayAttachments...)
	}) || len(atts) == 0 {
		return
	}
	e.t.CLI("ec2-describe-transit-gateway-attachments/attachments."+e.t.Region+".json", map[string]any{"TransitGatewayAttachments": atts})
	seen := map[string]bool{}
	for _, a := range atts {
		if a.Association == nil || aws.ToString(a.Association.TransitGatewayRouteTableId) == "" {
			continue
		}
		id := aws.ToString(a.Association.TransitGatewayRouteTableId)
		if seen[id] {
			continue
		}
		seen[id] = true
		routes := []ec2types.TransitGatewayRoute{}
		more := false
		if !Pages(ctx, e.t, "ec2", "ec2:SearchTransitGatewayRoutes", id, func(ctx context.Context, tok *string) (*ec2.SearchTransitGatewayRoutesOutput, *string, error) {
			o, err := e.cl.SearchTransitGatewayRoutes(ctx, &ec2.SearchTransitGatewayRoutesInput{TransitGatewayRouteTableId: aws.String(id), NextToken: tok,
				Filters: []ec2types.Filter{{Name: aws.String("type"), Values: []string{"static", "propagated"}}}})
			if err != nil {
				return nil, nil, err
			}
			return o, o.NextToken, nil
		}, func(o *ec2.SearchTransitGatewayRoutesOutput) {
			routes = append(routes, o.Routes...)
			more = more || aws.ToBool(o.AdditionalRoutesAvailable)
		}) {
			continue
		}
		e.t.CLI("ec2-search-transit-gateway-routes/"+id+"."+e.t.Region+".json", map[string]any{"Routes": routes, "AdditionalRoutesAvailable": more})
	}
}
