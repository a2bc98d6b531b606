package azure

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Links between networks, read for reachability (internal/reach): VNet
// address spaces and peerings, virtual network gateways, local network
// gateways (the other end of a site-to-site VPN) and their connections,
// kept with typed Addressing and NetworkLink facts.

// Native types of the network links.
const (
	TypeVNetGateway  = "Microsoft.Network/virtualNetworkGateways"
	TypeLocalGateway = "Microsoft.Network/localNetworkGateways"
	TypeConnection   = "Microsoft.Network/connections"
)

func init() {
	for t, n := range map[string]normalizer{TypeVNetGateway: vnetGateway, TypeLocalGateway: localGateway, TypeConnection: connection} {
		normalizers[t] = n
		canonical[strings.ToLower(t)] = t
	}
}

// vnetLinks: a VNet's address space and its peerings.
func vnetLinks(r *resource.Resource, p node) {
	if pfs, _ := p.Strs("addressSpace", "addressPrefixes"); len(pfs) > 0 {
		r.Facts.Addressing = &resource.Addressing{Prefixes: pfs}
	}
	peerings, _ := p.Objs("virtualNetworkPeerings")
	for _, pe := range peerings {
		q, st := pe.Obj("properties")
		if st == absent {
			q = pe
		}
		remote := q.Ref("remoteVirtualNetwork")
		if remote == "" {
			continue
		}
		state := q.S("peeringState")
		peer := resource.Peering{Name: pe.S("name"), Remote: remote, State: state}
		if state != "" {
			peer.Up = resource.Bool(strings.EqualFold(state, "Connected"))
		}
		if a := q.B("allowVirtualNetworkAccess"); a != nil && !*a {
			peer.Up = resource.Bool(false)
		}
		peer.RemotePrefixes, _ = q.Strs("remoteAddressSpace", "addressPrefixes")
		peer.UseRemoteGateways = q.B("useRemoteGateways")
		r.Facts.Network.Peerings = append(r.Facts.Network.Peerings, peer)
		attr.Relate(r, "peered_with", remote)
	}
}

// publicIP: a public IP address resource's address and its version
// (publicIPAddressVersion IPv4 or IPv6, IPv4 when absent: ARM's default,
// unless the address itself is IPv6). Another version is an input
// problem and leaves the family unknown (reachability: undecided).
func publicIP(r *resource.Resource, _, p node) {
	if !p.Present() {
		return
	}
	ad := &resource.Addressing{}
	ip := p.S("ipAddress")
	if ip != "" {
		ad.PublicIPs = []string{ip}
	}
	v, st := p.Str("publicIPAddressVersion")
	switch {
	case strings.EqualFold(v, "IPv6"), st == absent && strings.Contains(ip, ":"):
		ad.PublicFamilies = []string{"ipv6"}
	case strings.EqualFold(v, "IPv4"), st == absent:
		ad.PublicFamilies = []string{"ipv4"}
	case st == ok:
		p.C.Wrong(p.Field("publicIPAddressVersion"), "IPv4 or IPv6", v)
	}
	r.Facts.Addressing = ad
}

// vnetGateway: a virtual network gateway: its VNet (by the GatewaySubnet
// of its IP configurations), its public IPs (resources, and the tunnel
// addresses of its BGP settings).
func vnetGateway(r *resource.Resource, _, p node) {
	l := &resource.NetworkLink{Kind: resource.LinkVPNGateway, State: p.S("provisioningState")}
	if t := p.S("gatewayType"); t != "" && !strings.EqualFold(t, "Vpn") && !strings.EqualFold(t, "ExpressRoute") {
		l.Kind = "" // a local gateway or another kind: not a link reachability follows
	}
	ipcs, _ := p.Objs("ipConfigurations")
	for _, ipc := range ipcs {
		q, st := ipc.Obj("properties")
		if st == absent {
			q = ipc
		}
		if sn := q.Ref("subnet"); sn != "" {
			vn := vnetOfSubnet(sn)
			if !containsFold(l.Networks, vn) {
				l.Networks = append(l.Networks, vn)
			}
			attr.Relate(r, resource.RelInNetwork, vn)
		}
		attr.Relate(r, resource.RelUsesPublicIP, q.Ref("publicIPAddress"))
	}
	addrs, _ := p.Objs("bgpSettings", "bgpPeeringAddresses")
	for _, a := range addrs {
		ips, _ := a.Strs("tunnelIpAddresses")
		l.PublicIPs = append(l.PublicIPs, ips...)
	}
	l.BGP = p.B("enableBgp")
	if l.Kind != "" {
		r.Facts.NetworkLink = l
	}
}

// localGateway: a local network gateway: the other end's address and the
// address prefixes routed to it.
func localGateway(r *resource.Resource, _, p node) {
	l := &resource.NetworkLink{Kind: resource.LinkPeerGateway, State: p.S("provisioningState")}
	if ip := p.S("gatewayIpAddress"); ip != "" {
		l.PeerIPs = []string{ip}
	}
	l.Prefixes, _ = p.Strs("localNetworkAddressSpace", "addressPrefixes")
	r.Facts.NetworkLink = l
}

// connection: a virtual network gateway connection (IPsec to a local
// network gateway, or Vnet2Vnet to another virtual network gateway).
func connection(r *resource.Resource, _, p node) {
	t := p.S("connectionType")
	if strings.EqualFold(t, "ExpressRoute") {
		expressRouteConnection(r, p)
		return
	}
	if t != "" && !strings.EqualFold(t, "IPsec") && !strings.EqualFold(t, "Vnet2Vnet") {
		return // VPN client and others: not modelled
	}
	l := &resource.NetworkLink{Kind: resource.LinkVPNConnection, Gateway: p.Ref("virtualNetworkGateway1"),
		PeerGateway: p.Ref("localNetworkGateway2"), BGP: p.B("enableBgp")}
	if l.PeerGateway == "" {
		l.PeerGateway = p.Ref("virtualNetworkGateway2")
	}
	l.State = p.S("connectionStatus")
	if ps := p.S("provisioningState"); ps != "" && !strings.EqualFold(ps, "Succeeded") {
		l.State, l.Up = ps, resource.Bool(false)
	}
	r.Facts.NetworkLink = l
	attr.Relate(r, "vpn_gateway", l.Gateway)
	attr.Relate(r, "peer_gateway", l.PeerGateway)
}

func containsFold(ss []string, s string) bool {
	for _, x := range ss {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
