package tfmap

import (
	"github.com/vigil-sec/vigil/internal/iac/awsnorm"
	"github.com/vigil-sec/vigil/internal/resource"
)

var (
	routeTableTypes = []string{"aws_route_table", "aws_default_route_table"}
	vpcTypes        = []string{"aws_vpc", "aws_default_vpc"}
)

// routeHops are a route's target arguments and the kind of next hop each
// names, as the AWS Config importer reads a route's targets.
var routeHops = []struct{ key, hop string }{
	{"nat_gateway_id", "nat"}, {"vpc_peering_connection_id", "peering"}, {"transit_gateway_id", "transit"},
	{"egress_only_gateway_id", "egress_only"}, {"network_interface_id", "instance"}, {"instance_id", "instance"},
	{"local_gateway_id", "other"}, {"carrier_gateway_id", "other"}, {"vpc_endpoint_id", "other"}, {"core_network_arn", "other"},
}

// routeTable: aws_route_table (aws_default_route_table: the VPC's main
// table) with its inline route blocks and the aws_route resources joined,
// as the AWS Config importer reads AWS::EC2::RouteTable: each route's
// destination, next hop kind and target (a resource of the configuration
// by its resource ID, else the ID written). A route whose destination or
// target is known only at apply leaves the table's routes unknown; a
// prefix-list destination is not an address range and is left out.
func routeTable(m *mapper, r *inst, out *resource.Resource) {
	main := r.typ() == "aws_default_route_table" || len(m.attachedTo(r, "aws_main_route_table_association")) > 0
	vpc := r.a["vpc_id"]
	if r.typ() == "aws_default_route_table" {
		vpc = r.a["default_route_table_id"] // aws_vpc.x.default_route_table_id names the VPC
	}
	m.relate(out, resource.RelInNetwork, vpc, vpcTypes...)
	for _, a := range m.attachedTo(r, "aws_route_table_association") {
		m.relate(out, resource.RelRoutesFor, a.a["subnet_id"], "aws_subnet", "aws_default_subnet")
	}
	if main {
		m.relate(out, resource.RelRoutesFor, vpc, vpcTypes...)
	}
	rt := &resource.Routing{Routes: []resource.Route{}, Main: boolp(main)}
	blocks, st := m.blocks(r.a, "route")
	if st != ok && st != absent {
		return
	}
	for _, b := range blocks {
		ro, known := m.route(b, "cidr_block", "ipv6_cidr_block")
		if !known {
			return
		}
		if ro != nil {
			rt.Routes = append(rt.Routes, *ro)
		}
	}
	routes := m.attachedTo(r, "aws_route")
	if r.typ() == "aws_default_route_table" {
		// aws_route resources on aws_vpc.x.main_route_table_id (or
		// default_route_table_id) write to this same table.
		for _, v := range m.targets(vpc, vpcTypes...) {
			routes = append(routes, m.attachedTo(v, "aws_route")...)
		}
	}
	if !m.addRoutes(r, rt, routes) {
		return
	}
	out.Facts.Routing = rt
}

// addRoutes adds the routes of aws_route resources to rt; false when one
// is known only at apply (the table's routes are then unknown).
func (m *mapper) addRoutes(r *inst, rt *resource.Routing, routes []*inst) bool {
	for _, a := range routes {
		m.cur = a
		ro, known := m.route(a.a, "destination_cidr_block", "destination_ipv6_cidr_block")
		m.cur = r
		if !known {
			return false
		}
		if ro != nil {
			rt.Routes = append(rt.Routes, *ro)
		}
	}
	return true
}

// mainRouteTable: the main route table AWS creates with a VPC, when
// aws_route resources name it (route_table_id = aws_vpc.x.main_route_table_id)
// and no aws_default_route_table of the configuration adopts it. It holds
// the local route and those routes, so it is read as a route table of the
// VPC (ID "<VPC>#main-route-table", located at the VPC) whose routes are
// the aws_route resources', as the AWS Config importer reads the table.
func mainRouteTable(m *mapper, r *inst, out *resource.Resource) {
	routes := m.attachedTo(r, "aws_route")
	if len(routes) == 0 || len(m.referrers(r, "aws_default_route_table", "default_route_table_id", vpcTypes...)) > 0 {
		return
	}
	t := *out
	t.ID, t.Name, t.Type, t.Class = out.ID+"#main-route-table", "main", "AWS::EC2::RouteTable", resource.ClassOther
	t.Relationships = []resource.Relationship{{Type: resource.RelInNetwork, TargetID: out.ID}, {Type: resource.RelRoutesFor, TargetID: out.ID}}
	t.Facts = resource.Facts{}
	t.Raw = nil
	rt := &resource.Routing{Routes: []resource.Route{}, Main: boolp(true)}
	if m.addRoutes(r, rt, routes) {
		t.Facts.Routing = rt
	}
	m.extra = append(m.extra, &t)
}

// route reads one route (an inline block or an aws_route); nil for a
// prefix-list destination, false when it is known only at apply.
func (m *mapper) route(o map[string]any, v4, v6 string) (*resource.Route, bool) {
	dst := ""
	for _, k := range []string{v4, v6} {
		switch s, st := m.str(o, k); st {
		case ok:
			if s != "" {
				dst = s
			}
		case unknownSt, bad:
			return nil, false
		}
	}
	if dst == "" {
		return nil, true
	}
	for _, h := range routeHops {
		if t, known, set := m.routeTarget(o[h.key], h.key); set {
			return &resource.Route{Destination: dst, NextHop: h.hop, Target: t}, known
		}
	}
	t, known, set := m.routeTarget(o["gateway_id"], "gateway_id")
	if !set {
		return &resource.Route{Destination: dst, NextHop: "other"}, true
	}
	hop := awsnorm.GatewayHop(t, len(m.targets(o["gateway_id"], "aws_internet_gateway")) > 0, len(m.targets(o["gateway_id"], "aws_vpn_gateway")) > 0)
	if hop == "other" && !known {
		return nil, false
	}
	return &resource.Route{Destination: dst, NextHop: hop, Target: t}, true
}

// routeTarget reads a route's target argument: the resource of the
// configuration it names (its resource ID), else the ID written; set is
// false when the argument is absent or empty, known false when it is
// known only at apply and names no resource of the configuration.
func (m *mapper) routeTarget(v any, key string) (target string, known, set bool) {
	if ts := m.targets(v, "aws_vpc_peering_connection", "aws_internet_gateway", "aws_vpn_gateway", "aws_nat_gateway",
		"aws_ec2_transit_gateway", "aws_egress_only_internet_gateway", "aws_network_interface", "aws_instance", "aws_vpc_endpoint"); len(ts) == 1 {
		return rid(ts[0].in), true, true
	}
	switch s, st := m.str(map[string]any{key: v}, key); st {
	case ok:
		return s, true, s != ""
	case absent:
		return "", true, false
	}
	return "", false, true
}

// vpcPeering: aws_vpc_peering_connection, the two VPCs it joins (a VPC of
// the configuration by its resource ID) with their CIDR blocks when the
// configuration declares both (cidr_block and the
// aws_vpc_ipv4_cidr_block_association resources), as the AWS Config
// importer reads AWS::EC2::VPCPeeringConnection.
func vpcPeering(m *mapper, r *inst, out *resource.Resource) {
	out.Facts.NetworkLink = &resource.NetworkLink{Kind: resource.LinkPeering}
	var ids []string
	var prefixes [][]string
	for _, k := range []string{"vpc_id", "peer_vpc_id"} {
		ts := m.targets(r.a[k], vpcTypes...)
		switch s, st := m.str(r.a, k); {
		case len(ts) == 1:
			ids = append(ids, rid(ts[0].in))
			prefixes = append(prefixes, m.vpcPrefixes(ts[0]))
		case st == ok && s != "":
			ids = append(ids, s)
			prefixes = append(prefixes, nil)
		default:
			return
		}
		m.relate(out, resource.RelInNetwork, r.a[k], vpcTypes...)
	}
	out.Facts.NetworkLink = awsnorm.PeeringLink(ids, prefixes)
}

// vpcPrefixes are a VPC's CIDR blocks (primary, IPv6, secondary
// associations), nil when one is known only at apply.
func (m *mapper) vpcPrefixes(v *inst) []string {
	var out []string
	add := func(o map[string]any, keys ...string) bool {
		for _, k := range keys {
			switch s, st := m.str(o, k); st {
			case ok:
				if s != "" {
					out = append(out, s)
				}
			case unknownSt, bad:
				if k == "cidr_block" {
					return false
				}
			}
		}
		return true
	}
	if !add(v.a, "cidr_block") {
		return nil
	}
	for _, a := range m.referrers(v, "aws_vpc_ipv4_cidr_block_association", "vpc_id", vpcTypes...) {
		if !add(a.a, "cidr_block") {
			return nil
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
