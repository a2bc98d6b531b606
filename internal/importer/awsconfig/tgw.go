package awsconfig

import (
	"path/filepath"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Transit gateways and Direct Connect virtual interfaces, read for
// reachability (internal/reach) as typed NetworkLink and Routing facts.
//
// AWS Config records AWS::EC2::TransitGateway, AWS::EC2::TransitGatewayAttachment
// (VPC attachments only: Id, TransitGatewayId, VpcId, SubnetIds) and
// AWS::EC2::TransitGatewayRouteTable (Id, TransitGatewayId) in their
// CloudFormation shapes, without an attachment's route table association
// and without any route table's routes. Those come from the CLI:
//
//	aws ec2 describe-transit-gateway-attachments
//	    {"TransitGatewayAttachments":[{"TransitGatewayAttachmentId":"tgw-attach-..",
//	      "TransitGatewayId":"tgw-..","TransitGatewayOwnerId":"..","ResourceOwnerId":"..",
//	      "ResourceType":"vpc|vpn|peering|direct-connect-gateway|connect","ResourceId":"..",
//	      "State":"available","Association":{"TransitGatewayRouteTableId":"tgw-rtb-..","State":"associated"}}]}
//	aws ec2 search-transit-gateway-routes --transit-gateway-route-table-id ID \
//	    --filters Name=type,Values=static,propagated
//	    {"Routes":[{"DestinationCidrBlock":"10.1.0.0/16","Type":"propagated","State":"active",
//	      "TransitGatewayAttachments":[{"TransitGatewayAttachmentId":"..","ResourceId":"..","ResourceType":"vpc"}]}],
//	     "AdditionalRoutesAvailable":false}
//	    in a file named <tgw-rtb-id>.<region>.json (the output does not name its table)
//	aws directconnect describe-virtual-interfaces
//	    {"virtualInterfaces":[{"virtualInterfaceId":"dxvif-..","virtualInterfaceType":"private|transit|public",
//	      "virtualInterfaceState":"available","virtualGatewayId":"vgw-..","directConnectGatewayId":"..",
//	      "amazonAddress":"169.254.10.1/30","customerAddress":"169.254.10.2/30","asn":65000,"ownerAccount":".."}]}
//
// A route table output with AdditionalRoutesAvailable true is incomplete
// (a route missing from it may exist): its routes are left unknown.

// CLI formats of the network links.
const (
	FormatTGWAttachments = "aws-ec2-transit-gateway-attachments"
	FormatTGWRoutes      = "aws-ec2-transit-gateway-routes"
	FormatDXVIFs         = "aws-directconnect-virtual-interfaces"
)

// Native types of the transit gateway and Direct Connect resources.
const (
	TypeTransitGateway  = "AWS::EC2::TransitGateway"
	TypeTGWAttachment   = "AWS::EC2::TransitGatewayAttachment"
	TypeTGWRouteTable   = "AWS::EC2::TransitGatewayRouteTable"
	TypeDXVirtualIfc    = "AWS::DirectConnect::VirtualInterface"
	relTransitGateway   = "transit_gateway"
	relAttachedResource = "attached"
)

func init() {
	normalizers[TypeTransitGateway] = transitGateway
	normalizers[TypeTGWAttachment] = tgwAttachmentItem
	normalizers[TypeTGWRouteTable] = tgwRouteTableItem
}

// detectNetCLI recognizes the CLI outputs of this file.
func detectNetCLI(d attr.M) string {
	switch {
	case attr.Has(d, "TransitGatewayAttachments") && onlyKeys(d, "TransitGatewayAttachments", "NextToken", "ResponseMetadata"):
		return FormatTGWAttachments
	case attr.Has(d, "Routes") && onlyKeys(d, "Routes", "AdditionalRoutesAvailable", "ResponseMetadata") &&
		(attr.Has(d, "AdditionalRoutesAvailable") || tgwRoutesShape(d)):
		return FormatTGWRoutes
	case attr.Has(d, "virtualInterfaces") && onlyKeys(d, "virtualInterfaces", "nextToken", "ResponseMetadata"):
		return FormatDXVIFs
	case isDXAssociations(d):
		return FormatDXAssociations
	}
	return ""
}

// tgwRoutesShape: a Routes array whose entries name transit gateway
// attachments (an output without AdditionalRoutesAvailable).
func tgwRoutesShape(d attr.M) bool { return anyItemHas(d, "Routes", "TransitGatewayAttachments") }

// anyItemHas reports whether some object of d's array list has the key (an
// output recognized by what its entries hold).
func anyItemHas(d attr.M, list, key string) bool {
	for _, v := range attr.Arr(d, list) {
		if o := attr.AsObj(v); o != nil && attr.Has(o, key) {
			return true
		}
	}
	return false
}

// transitGateway: a Config AWS::EC2::TransitGateway item.
func transitGateway(it *item) {
	l := &resource.NetworkLink{Kind: resource.LinkTransitGateway}
	if it.cfg.Present() {
		l.State = strings.ToLower(it.cfg.S("State"))
	}
	it.r.Facts.NetworkLink = l
}

// tgwAttachmentItem: a Config AWS::EC2::TransitGatewayAttachment item (a
// VPC attachment; its association is not recorded).
func tgwAttachmentItem(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	vpc := cfg.S("VpcId")
	l := &resource.NetworkLink{Kind: resource.LinkTransitAttachment, Gateway: cfg.S("TransitGatewayId"), AttachedType: "vpc", Attached: vpc}
	if vpc != "" {
		l.Networks = []string{vpc}
	}
	it.r.Facts.NetworkLink = l
	attr.Relate(it.r, relTransitGateway, l.Gateway)
	attr.Relate(it.r, resource.RelInNetwork, vpc)
}

// tgwRouteTableItem: a Config AWS::EC2::TransitGatewayRouteTable item; its
// routes are read from search-transit-gateway-routes.
func tgwRouteTableItem(it *item) {
	if it.cfg.Present() {
		attr.Relate(it.r, relTransitGateway, it.cfg.S("TransitGatewayId"))
	}
}

func ec2ARN(region, acct, kind, id string) string {
	return "arn:aws:ec2:" + region + ":" + acct + ":" + kind + "/" + id
}

// parseNetCLI reads the CLI outputs of this file.
func parseNetCLI(res *attr.Result, path string, d attr.M, format string) {
	switch format {
	case FormatTGWAttachments:
		parseTGWAttachments(res, path, d)
	case FormatTGWRoutes:
		parseTGWRoutes(res, path, d)
	case FormatDXVIFs:
		parseDXVIFs(res, path, d)
	case FormatDXAssociations:
		parseDXAssociations(res, path, d)
	}
}

// parseTGWAttachments: one resource per attachment, with its association.
// A peering attachment has one ID on both transit gateways, each side
// with its own association: its resource is named after its gateway too.
func parseTGWAttachments(res *attr.Result, path string, d attr.M) {
	region := regionInPath(path)
	for i, v := range attr.Arr(d, "TransitGatewayAttachments") {
		c := &checker{}
		n := node{M: attr.AsObj(v), Path: attr.PathOf("TransitGatewayAttachments").Elem(i), C: c}
		id, tgw := n.S("TransitGatewayAttachmentId"), n.S("TransitGatewayId")
		if !n.Present() || id == "" || tgw == "" {
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: n.Path.String(), Err: n.Path.String() + " names no TransitGatewayAttachmentId or TransitGatewayId"})
			continue
		}
		acct := n.S("TransitGatewayOwnerId")
		typ, att := strings.ToLower(n.S("ResourceType")), n.S("ResourceId")
		arnID := id
		if typ == "peering" || typ == "tgw-peering" {
			arnID = id + "/" + tgw
		}
		r := cliResource(path, TypeTGWAttachment, ec2ARN(region, cmpOr(acct, accountOfPath(path)), "transit-gateway-attachment", arnID), id, acct, n.M, resource.ClassOther)
		c.ID = r.ID
		r.Aliases = []string{id}
		r.Tags = attr.Tags(getv(n.M, "Tags"))
		if nm := r.Tags["Name"]; nm != "" {
			r.Name = nm
		}
		l := &resource.NetworkLink{Kind: resource.LinkTransitAttachment, Gateway: tgw, AttachedType: typ, Attached: att,
			State: strings.ToLower(n.S("State"))}
		if l.State != "" {
			l.Up = boolp(l.State == "available")
		}
		if typ == "vpc" && att != "" {
			l.Networks = []string{att}
			attr.Relate(r, resource.RelInNetwork, att)
		}
		if st := strings.ToLower(n.S("Association", "State")); st == "" || st == "associated" {
			l.RouteTable = n.S("Association", "TransitGatewayRouteTableId")
		}
		if o := n.O("Association"); c.Count() == 0 && !o.Present() {
			l.RouteTable = "none" // associated with no route table: it routes nothing
		}
		r.Facts.NetworkLink = l
		attr.Relate(r, relTransitGateway, tgw)
		attr.Relate(r, relAttachedResource, att)
		res.Problems = append(res.Problems, c.Problems...)
		res.Resources = append(res.Resources, r)
		res.AddUnsupported(r) // read for reachability, judged by no rule
	}
}

// parseTGWRoutes: a transit gateway route table's routes, named by the
// file (<tgw-rtb-id>.<region>.json).
func parseTGWRoutes(res *attr.Result, path string, d attr.M) {
	id, _, _ := strings.Cut(filepath.Base(path), ".")
	region := regionInPath(path)
	if !strings.HasPrefix(id, "tgw-rtb-") || region == "" {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Err: "search-transit-gateway-routes output: name the file <tgw-rtb-id>.<region>.json, as the output does not say which route table it lists"})
		return
	}
	acct := accountOfPath(path)
	r := cliResource(path, TypeTGWRouteTable, ec2ARN(region, acct, "transit-gateway-route-table", id), id, acct, d, resource.ClassOther)
	r.Aliases = []string{id}
	c := &checker{ID: r.ID}
	root := node{M: d, C: c}
	routes, _ := root.Objs("Routes")
	rt := &resource.Routing{Routes: []resource.Route{}}
	for _, ro := range routes {
		dst := ro.S("DestinationCidrBlock")
		if dst == "" { // a prefix-list destination: not an address range reachability reads
			continue
		}
		state := strings.ToLower(ro.S("State"))
		if state == "deleted" || state == "deleting" || state == "pending" {
			continue
		}
		atts, _ := ro.Objs("TransitGatewayAttachments")
		if state == "blackhole" || len(atts) == 0 {
			rt.Routes = append(rt.Routes, resource.Route{Destination: dst, NextHop: "blackhole"})
			continue
		}
		for _, a := range atts {
			rt.Routes = append(rt.Routes, resource.Route{Destination: dst, NextHop: "transit_attachment", Target: a.S("TransitGatewayAttachmentId")})
		}
	}
	more := root.B("AdditionalRoutesAvailable")
	if c.Count() == 0 && (more == nil || !*more) {
		r.Facts.Routing = rt // a wrong shape or a truncated output could hide a route: unknown
	}
	res.Problems = append(res.Problems, c.Problems...)
	res.Resources = append(res.Resources, r)
	res.AddUnsupported(r)
}

// parseDXVIFs: each Direct Connect virtual interface as an interconnect
// link from its virtual private gateway (or Direct Connect gateway) to
// the router at its customer address.
func parseDXVIFs(res *attr.Result, path string, d attr.M) {
	region := regionInPath(path)
	for i, v := range attr.Arr(d, "virtualInterfaces") {
		c := &checker{}
		n := node{M: attr.AsObj(v), Path: attr.PathOf("virtualInterfaces").Elem(i), C: c}
		id := n.S("virtualInterfaceId")
		if !n.Present() || id == "" {
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: n.Path.String(), Err: n.Path.String() + " names no virtualInterfaceId"})
			continue
		}
		acct := n.S("ownerAccount")
		reg := cmpOr(n.S("region"), region)
		r := cliResource(path, TypeDXVirtualIfc, "arn:aws:directconnect:"+reg+":"+cmpOr(acct, accountOfPath(path))+":dxvif/"+id, cmpOr(n.S("virtualInterfaceName"), id), acct, n.M, resource.ClassOther)
		c.ID = r.ID
		r.Region = reg
		r.Aliases = []string{id}
		l := &resource.NetworkLink{Kind: resource.LinkInterconnect, Gateway: cmpOr(n.S("virtualGatewayId"), n.S("directConnectGatewayId")),
			State: n.S("virtualInterfaceState"), BGP: boolp(true), AttachedType: strings.ToLower(n.S("virtualInterfaceType"))}
		if l.State != "" {
			l.Up = boolp(l.State == "available")
		}
		if a := bgpAddr(n.S("amazonAddress")); a != "" {
			l.PublicIPs = []string{a}
		}
		if a := bgpAddr(n.S("customerAddress")); a != "" {
			l.PeerIPs = []string{a}
		}
		r.Facts.NetworkLink = l
		attr.Relate(r, "vpn_gateway", l.Gateway)
		res.Problems = append(res.Problems, c.Problems...)
		res.Resources = append(res.Resources, r)
		res.AddUnsupported(r)
	}
}

// bgpAddr: the address of "169.254.10.1/30".
func bgpAddr(s string) string {
	a, _, _ := strings.Cut(strings.TrimSpace(s), "/")
	return a
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
