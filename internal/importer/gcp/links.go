package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Links between networks, read for reachability (internal/reach): network
// peerings, subnetwork ranges, HA VPN gateways, external (peer) VPN
// gateways and VPN tunnels, kept with typed Addressing and NetworkLink
// facts.

// Native types of the network links.
const (
	TypeVPNGateway         = "compute.googleapis.com/VpnGateway"
	TypeTargetVPNGateway   = "compute.googleapis.com/TargetVpnGateway"
	TypeExternalVPNGateway = "compute.googleapis.com/ExternalVpnGateway"
	TypeVPNTunnel          = "compute.googleapis.com/VpnTunnel"
)

func init() {
	normalizers[TypeVPNGateway] = vpnGateway
	normalizers[TypeTargetVPNGateway] = vpnGateway
	normalizers[TypeExternalVPNGateway] = externalVPNGateway
	normalizers[TypeVPNTunnel] = vpnTunnel
}

func selfAliases(r *resource.Resource, d node) {
	if self := d.s("selfLink"); self != "" {
		r.Aliases = appendAliases(r.Aliases, computeAliases(self)...)
	}
}

// networkPeerings: a network's peerings (name, network, state).
func networkPeerings(n *resource.Network, d node) {
	ps, _ := d.objs("peerings")
	for _, p := range ps {
		remote := p.s("network")
		if remote == "" {
			continue
		}
		peer := resource.Peering{Name: p.s("name"), Remote: remote, State: p.s("state")}
		if peer.State != "" {
			peer.Up = boolp(peer.State == "ACTIVE")
		}
		n.Peerings = append(n.Peerings, peer)
	}
}

// subnetAddressing: a subnetwork's primary and secondary ranges.
func subnetAddressing(r *resource.Resource, d node) {
	var pfs []string
	if c := d.s("ipCidrRange"); c != "" {
		pfs = append(pfs, c)
	}
	sec, _ := d.objs("secondaryIpRanges")
	for _, s := range sec {
		if c := s.s("ipCidrRange"); c != "" {
			pfs = append(pfs, c)
		}
	}
	if len(pfs) > 0 {
		r.Facts.Addressing = &resource.Addressing{Prefixes: pfs}
	}
}

// instanceAddressing: a VM's private addresses (networkIP) and the
// families of its external addresses: accessConfigs are IPv4 (natIP),
// ipv6AccessConfigs IPv6 (externalIpv6: every IPv6 access config is an
// external address, on a dual-stack or IPv6-only interface; an interface
// with an internal IPv6 address only has none, whatever its stackType).
// compute.public_ipv6 is whether an interface has an IPv6 access config;
// interfaces read in part leave it unknown unless one has, and leave the
// families unsaid (compute.public_ip, either family, then decides).
func instanceAddressing(r *resource.Resource, nics []node) {
	var ips []string
	v4, v6, bad := false, false, false
	for _, ni := range nics {
		if ip := ni.s("networkIP"); ip != "" {
			ips = append(ips, ip)
		}
		before := ni.c.count()
		if acs, _ := ni.objs("accessConfigs"); len(acs) > 0 {
			v4 = true
		}
		if acs, _ := ni.objs("ipv6AccessConfigs"); len(acs) > 0 {
			v6 = true
		}
		bad = bad || ni.c.count() != before
	}
	var fams []string
	if !bad {
		if v4 {
			fams = append(fams, "ipv4")
		}
		if v6 {
			fams = append(fams, "ipv6")
		}
	}
	if len(ips) > 0 || len(fams) > 0 {
		r.Facts.Addressing = &resource.Addressing{PrivateIPs: ips, PublicFamilies: fams}
	}
	if c := r.Facts.Compute; c != nil && len(nics) > 0 && (v6 || !bad) {
		c.PublicIPv6 = boolp(v6) // every VM has an interface: none read is unknown
	}
}

// vpnGateway: an HA VPN gateway (vpnInterfaces with their addresses) or a
// Classic VPN gateway (its network; its address is a forwarding rule's).
func vpnGateway(_ *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkVPNGateway, State: d.s("status")}
	if n := d.s("network"); n != "" {
		l.Networks = []string{n}
		attr.Relate(r, resource.RelInNetwork, n)
	}
	ifs, _ := d.objs("vpnInterfaces")
	for _, i := range ifs {
		if ip := i.s("ipAddress"); ip != "" {
			l.PublicIPs = append(l.PublicIPs, ip)
		}
	}
	r.Facts.NetworkLink = l
	selfAliases(r, d)
}

// externalVPNGateway: how GCP describes the other end: its interfaces'
// addresses.
func externalVPNGateway(_ *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkPeerGateway}
	ifs, _ := d.objs("interfaces")
	for _, i := range ifs {
		if ip := i.s("ipAddress"); ip != "" {
			l.PeerIPs = append(l.PeerIPs, ip)
		}
	}
	r.Facts.NetworkLink = l
	selfAliases(r, d)
}

// vpnTunnel: a VPN tunnel from an HA (vpnGateway) or Classic
// (targetVpnGateway) gateway to peerIp (an external gateway, or another
// GCP gateway), with a Cloud Router (BGP) or traffic selectors.
func vpnTunnel(_ *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkVPNConnection, State: d.s("status"), Router: d.s("router")}
	l.Gateway = d.s("vpnGateway")
	if l.Gateway == "" {
		l.Gateway = d.s("targetVpnGateway")
	}
	l.PeerGateway = d.s("peerExternalGateway")
	if l.PeerGateway == "" {
		l.PeerGateway = d.s("peerGcpGateway")
	}
	if ip := d.s("peerIp"); ip != "" {
		l.PeerIPs = []string{ip}
	}
	l.BGP = boolp(l.Router != "")
	if sel, _ := d.strs("remoteTrafficSelector"); len(sel) > 0 && !(len(sel) == 1 && sel[0] == "0.0.0.0/0") {
		l.Prefixes = sel
	}
	switch l.State {
	case "FAILED", "DEPROVISIONING", "STOPPED", "REJECTED":
		l.Up = boolp(false)
	}
	r.Facts.NetworkLink = l
	attr.Relate(r, "vpn_gateway", l.Gateway)
	attr.Relate(r, "peer_gateway", l.PeerGateway)
	if strings.Contains(l.PeerGateway, "/vpnGateways/") {
		attr.Relate(r, "peer_gcp_gateway", l.PeerGateway)
	}
	selfAliases(r, d)
}
