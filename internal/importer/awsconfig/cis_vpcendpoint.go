package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeVPCEndpoint is a VPC endpoint (gateway, interface or Gateway Load
// Balancer endpoint), as AWS Config records it (DescribeVpcEndpoints'
// shape: vpcEndpointId, vpcEndpointType, vpcId, serviceName, state) and
// vigil collect writes it. It stays of class other, related to its VPC
// (in_network) while it is in use: inventory derivation sets the VPC's
// vpc_endpoints fact (CIS AWS 7.0 6.8).
const TypeVPCEndpoint = "AWS::EC2::VPCEndpoint"

func init() { normalizers[TypeVPCEndpoint] = vpcEndpoint }

// vpcEndpoint relates an endpoint that is not being or already removed
// (state deleting, deleted, rejected, failed, expired) to its VPC.
func vpcEndpoint(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	vpc := cfg.S("vpcId")
	if vpc == "" {
		vpc = cfg.S("VpcId") // the CloudFormation shape
	}
	switch strings.ToLower(cfg.S("state")) {
	case "deleting", "deleted", "rejected", "failed", "expired":
		return
	}
	attr.Relate(it.r, resource.RelInNetwork, vpc)
}
