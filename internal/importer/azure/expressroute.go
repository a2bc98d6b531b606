package azure

import (
	"net/netip"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// ExpressRoute, read for reachability (internal/reach) as an interconnect
// link: a connection of type ExpressRoute joins a virtual network gateway
// (gatewayType ExpressRoute, in the VNet of its GatewaySubnet) to a
// circuit (peer.id); the circuit's private peering
// (peerings[].properties, peeringType AzurePrivatePeering) gives the BGP
// addresses of each link: in primaryPeerAddressPrefix and
// secondaryPeerAddressPrefix (/30), the customer's router has the first
// usable address and Microsoft's the second. The other end is matched by
// those addresses (another cloud's interconnect whose own address is the
// customer's); otherwise it is an on-premises or partner network.

// TypeExpressRouteCircuit is the native type of an ExpressRoute circuit.
const TypeExpressRouteCircuit = "Microsoft.Network/expressRouteCircuits"

func init() {
	normalizers[TypeExpressRouteCircuit] = expressRouteCircuit
	canonical[strings.ToLower(TypeExpressRouteCircuit)] = TypeExpressRouteCircuit
}

// expressRouteCircuit: the circuit as the other end's description: the
// customer's BGP addresses (PeerIPs) and Microsoft's (PublicIPs) of its
// private peering.
func expressRouteCircuit(r *resource.Resource, _, p node) {
	l := &resource.NetworkLink{Kind: resource.LinkPeerGateway, State: p.S("serviceProviderProvisioningState"), BGP: resource.Bool(true)}
	if st := p.S("circuitProvisioningState"); st != "" && !strings.EqualFold(st, "Enabled") {
		l.Up = resource.Bool(false)
	} else if l.State != "" {
		l.Up = resource.Bool(strings.EqualFold(l.State, "Provisioned"))
	}
	peerings, _ := p.Objs("peerings")
	for _, pe := range peerings {
		q, st := pe.Obj("properties")
		if st == absent {
			q = pe
		}
		if t := q.S("peeringType"); t != "" && !strings.EqualFold(t, "AzurePrivatePeering") {
			continue // Microsoft peering: public services, not a private network
		}
		for _, k := range []string{"primaryPeerAddressPrefix", "secondaryPeerAddressPrefix"} {
			if cust, ms, ok := peerAddresses(q.S(k)); ok {
				l.PeerIPs = append(l.PeerIPs, cust)
				l.PublicIPs = append(l.PublicIPs, ms)
			}
		}
	}
	r.Facts.NetworkLink = l
}

// peerAddresses: the customer's (first usable) and Microsoft's (second)
// address of a /30 link prefix.
func peerAddresses(s string) (customer, microsoft string, ok bool) {
	pf, err := netip.ParsePrefix(strings.TrimSpace(s))
	if err != nil || !pf.Addr().Is4() || pf.Bits() != 30 {
		return "", "", false
	}
	a := pf.Masked().Addr().Next()
	return a.String(), a.Next().String(), true
}

// expressRouteConnection: a connection of type ExpressRoute, from its
// virtual network gateway to its circuit.
func expressRouteConnection(r *resource.Resource, p node) {
	l := &resource.NetworkLink{Kind: resource.LinkInterconnect, Gateway: p.Ref("virtualNetworkGateway1"), PeerGateway: p.Ref("peer"),
		BGP: resource.Bool(true), State: p.S("provisioningState")}
	if l.State != "" && !strings.EqualFold(l.State, "Succeeded") {
		l.Up = resource.Bool(false)
	}
	r.Facts.NetworkLink = l
	attr.Relate(r, "vpn_gateway", l.Gateway)
	attr.Relate(r, "peer_gateway", l.PeerGateway)
}
