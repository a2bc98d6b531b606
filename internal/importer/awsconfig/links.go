package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Links between networks, read for reachability (internal/reach): VPC
// peering connections and site-to-site VPNs (virtual private gateways,
// customer gateways, VPN connections), kept as class other with typed
// NetworkLink facts.

func init() {
	normalizers["AWS::EC2::VPCPeeringConnection"] = vpcPeering
	normalizers["AWS::EC2::VPNGateway"] = vpnGateway
	normalizers["AWS::EC2::CustomerGateway"] = customerGateway
	normalizers["AWS::EC2::VPNConnection"] = vpnConnection
	ec2 := normalizers["AWS::EC2::Instance"]
	normalizers["AWS::EC2::Instance"] = func(it *item) {
		ec2(it)
		if c := it.r.Facts.Compute; c != nil && it.cfg.Present() {
			c.PublicIPv6 = instanceIPv6(it.cfg)
		}
	}
}

// instanceIPv6: whether an instance has an IPv6 address, read from
// configuration.networkInterfaces[].ipv6Addresses[].ipv6Address (the EC2
// InstanceNetworkInterface shape AWS Config records; every AWS IPv6
// address is globally routable). nil, unknown, when the item lists no
// interfaces or an interface without its ipv6Addresses: a missing list is
// never read as "no IPv6 address". The instance's normalizer already
// reported a networkInterfaces of the wrong shape; ipv6Addresses of the
// wrong shape are reported here.
func instanceIPv6(cfg node) *bool {
	v, st := cfg.Lookup("networkInterfaces")
	arr := attr.AsArr(v)
	if st != attr.OK || arr == nil {
		return nil
	}
	known := true
	for i, e := range arr {
		if e == nil {
			continue
		}
		ni, isObj := attr.NodeOf(e, cfg.Path.Below("networkInterfaces").Elem(i), cfg.C)
		if !isObj {
			return nil
		}
		addrs, st := ni.Objs("ipv6Addresses")
		if st != attr.OK {
			known = false
			continue
		}
		for _, a := range addrs {
			if a.S("ipv6Address") != "" {
				return boolp(true)
			}
		}
	}
	if !known {
		return nil
	}
	return boolp(false)
}

// vpcPeering: the EC2 VpcPeeringConnection shape (requesterVpcInfo,
// accepterVpcInfo, status.code).
func vpcPeering(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkPeering, State: strings.ToLower(cfg.S("status", "code"))}
	if l.State != "" {
		l.Up = boolp(l.State == "active")
	}
	a, b := cfg.S("requesterVpcInfo", "vpcId"), cfg.S("accepterVpcInfo", "vpcId")
	if a != "" && b != "" {
		l.Networks = []string{a, b}
		pa, pb := peerPrefixes(cfg, "requesterVpcInfo"), peerPrefixes(cfg, "accepterVpcInfo")
		if pa != nil && pb != nil {
			l.NetworkPrefixes = [][]string{pa, pb}
		}
	}
	it.r.Facts.NetworkLink = l
	attr.Relate(it.r, resource.RelInNetwork, a)
	attr.Relate(it.r, resource.RelInNetwork, b)
}

// peerPrefixes reads one side's CIDR blocks of a peering connection
// (cidrBlock, cidrBlockSet, ipv6CidrBlockSet), nil when it has none or
// one of them is of the wrong shape.
func peerPrefixes(cfg node, side string) []string {
	before := cfg.C.Count()
	var pfs []string
	add := func(p string) {
		if p != "" && !contains(pfs, p) {
			pfs = append(pfs, p)
		}
	}
	add(cfg.S(side, "cidrBlock"))
	v4, _ := cfg.Objs(side, "cidrBlockSet")
	for _, s := range v4 {
		add(s.S("cidrBlock"))
	}
	v6, _ := cfg.Objs(side, "ipv6CidrBlockSet")
	for _, s := range v6 {
		add(s.S("ipv6CidrBlock"))
	}
	if cfg.C.Count() != before {
		return nil
	}
	return pfs
}

// vpnGateway: the EC2 VpnGateway shape (vpcAttachments with state).
func vpnGateway(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkVPNGateway, State: cfg.S("state")}
	atts, _ := cfg.Objs("vpcAttachments")
	for _, a := range atts {
		if st := a.S("state"); st == "" || st == "attached" {
			l.Networks = append(l.Networks, a.S("vpcId"))
			attr.Relate(it.r, resource.RelInNetwork, a.S("vpcId"))
		}
	}
	if l.State != "" {
		l.Up = boolp(l.State == "available" && len(l.Networks) > 0)
	}
	it.r.Facts.NetworkLink = l
}

// customerGateway: the EC2 CustomerGateway shape: the other end's address.
func customerGateway(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkPeerGateway, State: cfg.S("state")}
	if ip := cfg.S("ipAddress"); ip != "" {
		l.PeerIPs = []string{ip}
	}
	it.r.Facts.NetworkLink = l
}

// vpnConnection: the EC2 VpnConnection shape (vpnGatewayId or
// transitGatewayId, customerGatewayId, options.staticRoutesOnly and
// tunnelOptions, routes, vgwTelemetry).
func vpnConnection(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	l := &resource.NetworkLink{Kind: resource.LinkVPNConnection, State: cfg.S("state"),
		Gateway: cfg.S("vpnGatewayId"), PeerGateway: cfg.S("customerGatewayId")}
	if l.Gateway == "" {
		l.Gateway = cfg.S("transitGatewayId")
	}
	if l.State != "" {
		l.Up = boolp(l.State == "available")
	}
	if static := cfg.B("options", "staticRoutesOnly"); static != nil {
		l.BGP = boolp(!*static)
	}
	seen := map[string]bool{}
	addIP := func(ip string) {
		if ip != "" && !seen[ip] {
			seen[ip] = true
			l.PublicIPs = append(l.PublicIPs, ip)
		}
	}
	tunnels, _ := cfg.Objs("options", "tunnelOptions")
	for _, t := range tunnels {
		addIP(t.S("outsideIpAddress"))
	}
	tel, _ := cfg.Objs("vgwTelemetry")
	for _, t := range tel {
		addIP(t.S("outsideIpAddress"))
	}
	routes, _ := cfg.Objs("routes")
	for _, ro := range routes {
		if st := ro.S("state"); st != "deleted" && st != "deleting" && ro.S("destinationCidrBlock") != "" {
			l.Prefixes = append(l.Prefixes, ro.S("destinationCidrBlock"))
		}
	}
	it.r.Facts.NetworkLink = l
	attr.Relate(it.r, "vpn_gateway", l.Gateway)
	attr.Relate(it.r, "customer_gateway", l.PeerGateway)
}

// instanceAddressing: an instance's private addresses (its own and its
// interfaces'), nil when it has none in the item.
func instanceAddressing(cfg node, nis []node) *resource.Addressing {
	var ips []string
	add := func(ip string) {
		if ip != "" && !contains(ips, ip) {
			ips = append(ips, ip)
		}
	}
	add(cfg.S("privateIpAddress"))
	for _, ni := range nis {
		add(ni.S("privateIpAddress"))
		pips, _ := ni.Objs("privateIpAddresses")
		for _, p := range pips {
			add(p.S("privateIpAddress"))
		}
	}
	if len(ips) == 0 {
		return nil
	}
	return &resource.Addressing{PrivateIPs: ips}
}

// vpcAddressing: a VPC's CIDR blocks.
func vpcAddressing(cfg node) *resource.Addressing {
	var pfs []string
	add := func(p string) {
		if p != "" && !contains(pfs, p) {
			pfs = append(pfs, p)
		}
	}
	add(cfg.S("cidrBlock"))
	sets, _ := cfg.Objs("cidrBlockAssociationSet")
	for _, s := range sets {
		add(s.S("cidrBlock"))
	}
	v6, _ := cfg.Objs("ipv6CidrBlockAssociationSet")
	for _, s := range v6 {
		add(s.S("ipv6CidrBlock"))
	}
	if len(pfs) == 0 {
		return nil
	}
	return &resource.Addressing{Prefixes: pfs}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
