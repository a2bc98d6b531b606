package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Direct Connect gateway associations, read for reachability
// (internal/reach): a Direct Connect gateway links the private virtual
// interfaces on it to the virtual private gateways it is associated with
// (and the transit virtual interfaces to the transit gateways), which AWS
// Config does not record:
//
//	aws directconnect describe-direct-connect-gateway-associations --direct-connect-gateway-id ID
//	    {"directConnectGatewayAssociations":[{"directConnectGatewayId":"..","directConnectGatewayOwnerAccount":"..",
//	      "associationState":"associating|associated|disassociating|disassociated|updating",
//	      "associatedGateway":{"id":"vgw-..|tgw-..","type":"virtualPrivateGateway|transitGateway","ownerAccount":"..","region":".."},
//	      "associationId":"..","allowedPrefixesToDirectConnectGateway":[{"cidr":"10.0.0.0/16"}],
//	      "virtualGatewayId":"vgw-..","virtualGatewayRegion":"..","virtualGatewayOwnerAccount":".."}],"nextToken":".."}
//
// Each association is kept as class other with a NetworkLink of kind
// resource.LinkDXAssociation: Gateway the Direct Connect gateway, Attached the
// associated gateway, AttachedType "vgw" or "tgw", Prefixes the allowed
// prefixes (for a VGW, a filter of the VPC ranges advertised over the
// gateway: a range is advertised when an allowed prefix is the same or
// wider; for a transit gateway, what is advertised). Up is true while the
// association carries traffic (associated, updating).

// FormatDXAssociations is the describe-direct-connect-gateway-associations output.
const FormatDXAssociations = "aws-directconnect-gateway-associations"

// TypeDXAssociation is the native type of a Direct Connect gateway association.
const TypeDXAssociation = "AWS::DirectConnect::DirectConnectGatewayAssociation"

func isDXAssociations(d attr.M) bool {
	return attr.Has(d, "directConnectGatewayAssociations") && onlyKeys(d, "directConnectGatewayAssociations", "nextToken", "ResponseMetadata")
}

// parseDXAssociations: one resource per association.
func parseDXAssociations(res *attr.Result, path string, d attr.M) {
	region := regionInPath(path)
	list, isArr := d["directConnectGatewayAssociations"].([]any)
	if !isArr && d["directConnectGatewayAssociations"] != nil {
		res.Problems = append(res.Problems, attr.Problem{Path: path, Field: "directConnectGatewayAssociations",
			Err: "directConnectGatewayAssociations is " + withArticle(attr.Kind(d["directConnectGatewayAssociations"])) + ", not an array: nothing imported from this file"})
		return
	}
	for i, v := range list {
		c := &checker{}
		n := node{M: attr.AsObj(v), Path: attr.PathOf("directConnectGatewayAssociations").Elem(i), C: c}
		dxgw := n.S("directConnectGatewayId")
		gw := cmpOr(n.S("associatedGateway", "id"), n.S("virtualGatewayId"))
		if !n.Present() || dxgw == "" || gw == "" {
			res.Problems = append(res.Problems, attr.Problem{Path: path, Field: n.Path.String(), Err: n.Path.String() + " names no directConnectGatewayId or associated gateway"})
			continue
		}
		acct := n.S("directConnectGatewayOwnerAccount")
		id := cmpOr(n.S("associationId"), dxgw+"/"+gw)
		r := cliResource(path, TypeDXAssociation, "arn:aws:directconnect::"+cmpOr(acct, accountOfPath(path))+":dx-gateway/"+dxgw+"/association/"+id,
			id, acct, n.M, resource.ClassOther)
		c.ID = r.ID
		r.Region = cmpOr(n.S("associatedGateway", "region"), cmpOr(n.S("virtualGatewayRegion"), region))
		r.Aliases = []string{id}
		typ := "vgw"
		switch t := strings.ToLower(n.S("associatedGateway", "type")); {
		case t == "transitgateway" || strings.HasPrefix(gw, "tgw-"):
			typ = "tgw"
		case t != "" && t != "virtualprivategateway":
			typ = t
		}
		l := &resource.NetworkLink{Kind: resource.LinkDXAssociation, Gateway: dxgw, Attached: gw, AttachedType: typ, State: n.S("associationState")}
		if l.State != "" {
			l.Up = boolp(l.State == "associated" || l.State == "updating")
		}
		pfs, st := n.Objs("allowedPrefixesToDirectConnectGateway")
		for _, p := range pfs {
			if cidr := p.S("cidr"); cidr != "" {
				l.Prefixes = append(l.Prefixes, cidr)
			}
		}
		if st == bad || c.Count() > 0 {
			l.Prefixes = nil
			l.Up = nil // a wrong shape could hide an allowed prefix: unknown
		}
		r.Facts.NetworkLink = l
		attr.Relate(r, "direct_connect_gateway", dxgw)
		attr.Relate(r, relAttachedResource, gw)
		res.Problems = append(res.Problems, c.Problems...)
		res.Resources = append(res.Resources, r)
		res.AddUnsupported(r) // read for reachability, judged by no rule
	}
}
