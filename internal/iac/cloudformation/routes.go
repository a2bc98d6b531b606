package cloudformation

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/resource"
)

// routeHops are a route's target properties and the kind of next hop
// each names, as the AWS Config importer reads a route's targets.
var routeHops = []struct{ key, hop string }{
	{"NatGatewayId", "nat"}, {"VpcPeeringConnectionId", "peering"}, {"TransitGatewayId", "transit"},
	{"EgressOnlyInternetGatewayId", "egress_only"}, {"NetworkInterfaceId", "instance"}, {"InstanceId", "instance"},
	{"LocalGatewayId", "other"}, {"CarrierGatewayId", "other"}, {"VpcEndpointId", "other"}, {"CoreNetworkArn", "other"},
}

// routeTable: AWS::EC2::RouteTable with the AWS::EC2::Route resources of
// the template joined and its AWS::EC2::SubnetRouteTableAssociation
// subnets, as the AWS Config importer reads it (a template cannot make
// a VPC's main table). A route whose destination or target is known
// only at deployment leaves the table's routes unknown.
func routeTable(m *mapper, r *res, out *resource.Resource) {
	m.relate(out, resource.RelInNetwork, r.p["VpcId"])
	for _, a := range m.attachedTo(r.id(), "AWS::EC2::SubnetRouteTableAssociation") {
		m.relate(out, resource.RelRoutesFor, a.p["SubnetId"])
	}
	rt := &resource.Routing{Routes: []resource.Route{}, Main: boolp(false)}
	for _, a := range m.attachedTo(r.id(), "AWS::EC2::Route") {
		done := m.on(a)
		ro, known := m.route(a.p)
		done()
		if !known {
			return
		}
		if ro != nil {
			rt.Routes = append(rt.Routes, *ro)
		}
	}
	out.Facts.Routing = rt
}

// route reads an AWS::EC2::Route: nil for a prefix-list destination,
// false when known only at deployment.
func (m *mapper) route(p map[string]any) (*resource.Route, bool) {
	dst := ""
	for _, k := range []string{"DestinationCidrBlock", "DestinationIpv6CidrBlock"} {
		switch s, st := m.str(p, k); st {
		case ok:
			dst = s
		case unknownSt, bad:
			return nil, false
		}
	}
	if dst == "" {
		return nil, true
	}
	target := func(v any) (string, bool) {
		if u, isU := v.(*unknown); isU {
			if len(u.refs) == 1 && m.byID[u.refs[0]] != nil {
				return m.rid(u.refs[0]), true
			}
			return "", false
		}
		s, _ := text(v)
		return s, true
	}
	for _, h := range routeHops {
		if v, st := look(p, h.key); st != absent {
			t, known := target(v)
			return &resource.Route{Destination: dst, NextHop: h.hop, Target: t}, known
		}
	}
	v, st := look(p, "GatewayId")
	if st == absent {
		return &resource.Route{Destination: dst, NextHop: "other"}, true
	}
	t, known := target(v)
	hop := awsnorm.GatewayHop(t, len(m.targets(v, "AWS::EC2::InternetGateway")) > 0, len(m.targets(v, "AWS::EC2::VPNGateway")) > 0)
	if hop == "other" && !known {
		return nil, false
	}
	return &resource.Route{Destination: dst, NextHop: hop, Target: t}, true
}

// vpcPeering: AWS::EC2::VPCPeeringConnection, the two VPCs it joins (a
// VPC of the template by its resource ID) with their CIDR blocks when the
// template declares both (CidrBlock and AWS::EC2::VPCCidrBlock).
func vpcPeering(m *mapper, r *res, out *resource.Resource) {
	out.Facts.NetworkLink = &resource.NetworkLink{Kind: resource.LinkPeering}
	var ids []string
	var prefixes [][]string
	for _, k := range []string{"VpcId", "PeerVpcId"} {
		ts := m.targets(r.p[k], "AWS::EC2::VPC")
		switch s, st := m.str(r.p, k); {
		case len(ts) == 1:
			ids = append(ids, m.rid(ts[0]))
			prefixes = append(prefixes, m.vpcPrefixes(ts[0]))
		case st == ok && s != "":
			ids = append(ids, s)
			prefixes = append(prefixes, nil)
		default:
			return
		}
		m.relate(out, resource.RelInNetwork, r.p[k])
	}
	out.Facts.NetworkLink = awsnorm.PeeringLink(ids, prefixes)
}

// vpcPrefixes are the IPv4 CIDR blocks of the template's VPC id (its
// CidrBlock and AWS::EC2::VPCCidrBlock resources), nil when one is known
// only at deployment (an IPAM pool's allocation).
func (m *mapper) vpcPrefixes(id string) []string {
	v := m.byID[id]
	if v == nil {
		return nil
	}
	var out []string
	for _, p := range append([]map[string]any{v.p}, m.cidrBlocksOf(id)...) {
		switch s, st := m.str(p, "CidrBlock"); st {
		case ok:
			if s != "" {
				out = append(out, s)
			}
		case absent:
		default:
			return nil
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// cidrBlocksOf are the properties of the AWS::EC2::VPCCidrBlock
// resources of the VPC id that add an IPv4 block.
func (m *mapper) cidrBlocksOf(id string) []map[string]any {
	var out []map[string]any
	for _, b := range m.ofType("AWS::EC2::VPCCidrBlock") {
		if contains(m.targets(b.p["VpcId"], "AWS::EC2::VPC"), id) {
			if _, st := look(b.p, "AmazonProvidedIpv6CidrBlock"); st == absent {
				out = append(out, b.p)
			}
		}
	}
	return out
}
