package inventory

import "github.com/vigil-sec/vigil/internal/resource"

// The AWS Config type of a VPC endpoint, and the region listings of them
// (aws ec2 describe-vpc-endpoints, whole or cut short) the awsconfig
// importer makes, related to the VPCs with an endpoint in use.
const (
	awsVPCEndpoint        = "AWS::EC2::VPCEndpoint"
	awsVPCEndpointList    = "AWS::EC2::VPCEndpointList"
	awsVPCEndpointPartial = "AWS::EC2::VPCEndpointPartialList"
)

// vpcEndpoints sets each AWS VPC's VPCEndpoints (CIS AWS 7.0 6.8): true
// when an endpoint in use is in it; false when the input holds endpoints
// of the VPC's account and region but none of the VPC's, or the region's
// whole listing (empty included) has none of the VPC's; unknown otherwise.
func (d *deriver) vpcEndpoints() {
	with := map[*resource.Resource]bool{}
	listed := map[[2]string]bool{}
	for _, e := range d.all {
		if e.Provider != resource.AWS || e.Type != awsVPCEndpoint && e.Type != awsVPCEndpointList && e.Type != awsVPCEndpointPartial {
			continue
		}
		if e.Type != awsVPCEndpointPartial {
			listed[[2]string{e.Account, e.Region}] = true
		}
		for _, t := range targets(e, resource.RelInNetwork) {
			if n := d.resolve(e, t); n != nil && n.Class == resource.ClassNetwork && n.Facts.Network != nil {
				with[n] = true
			}
		}
	}
	if len(listed) == 0 {
		return
	}
	for _, n := range d.all {
		if n.Provider != resource.AWS || n.Type != "AWS::EC2::VPC" || n.Facts.Network == nil {
			continue
		}
		switch {
		case with[n]:
			n.Facts.Network.VPCEndpoints = resource.Bool(true)
		case listed[[2]string{n.Account, n.Region}]:
			n.Facts.Network.VPCEndpoints = resource.Bool(false)
		}
	}
}
