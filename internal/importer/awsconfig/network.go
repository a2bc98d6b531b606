package awsconfig

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The network path of an instance, read for reachability (internal/reach):
// route tables and network ACLs, kept as class other with typed facts
// (Routing; Firewall with Stateless) and the subnets they apply to.

// routeTable: a Config AWS::EC2::RouteTable item (the EC2 RouteTable
// shape: routes, associations with subnetId or main).
func routeTable(it *item) {
	r, cfg := it.r, it.cfg
	if !cfg.Present() {
		return
	}
	before := cfg.C.Count()
	rt := &resource.Routing{Routes: []resource.Route{}}
	routes, _ := cfg.Objs("routes")
	for _, ro := range routes {
		dst := ro.S("destinationCidrBlock")
		if dst == "" {
			dst = ro.S("destinationIpv6CidrBlock")
		}
		if dst == "" { // a prefix-list destination: not an address range reachability reads
			continue
		}
		hop, target := routeTarget(ro)
		if strings.EqualFold(ro.S("state"), "blackhole") {
			hop = "blackhole"
		}
		rt.Routes = append(rt.Routes, resource.Route{Destination: dst, NextHop: hop, Target: target})
	}
	assocs, _ := cfg.Objs("associations")
	main := false
	for _, a := range assocs {
		if b := a.B("main"); b != nil && *b {
			main = true
		}
		attr.Relate(r, resource.RelRoutesFor, a.S("subnetId"))
	}
	rt.Main = boolp(main)
	vgws, _ := cfg.Objs("propagatingVgws")
	for _, v := range vgws {
		if id := v.S("gatewayId"); id != "" {
			rt.Propagating = append(rt.Propagating, id)
		}
	}
	if main {
		attr.Relate(r, resource.RelRoutesFor, cfg.S("vpcId"))
	}
	if cfg.C.Count() == before {
		r.Facts.Routing = rt // a field of the wrong shape could hide a route: unknown
	}
	attr.Relate(r, resource.RelInNetwork, cfg.S("vpcId"))
}

// routeTarget names the kind of a route's next hop and its ID.
func routeTarget(ro node) (hop, target string) {
	for _, k := range []struct{ key, hop string }{
		{"natGatewayId", "nat"}, {"vpcPeeringConnectionId", "peering"}, {"transitGatewayId", "transit"},
		{"egressOnlyInternetGatewayId", "egress_only"}, {"instanceId", "instance"}, {"networkInterfaceId", "instance"},
		{"localGatewayId", "other"}, {"carrierGatewayId", "other"},
	} {
		if id := ro.S(k.key); id != "" {
			return k.hop, id
		}
	}
	switch gw := ro.S("gatewayId"); {
	case gw == "local":
		return "local", gw
	case strings.HasPrefix(gw, "igw-"):
		return "internet", gw
	case strings.HasPrefix(gw, "vgw-"):
		return "vpn", gw
	case gw != "":
		return "other", gw
	}
	return "other", ""
}

// networkACL: a Config AWS::EC2::NetworkAcl item (the EC2 NetworkAcl
// shape: numbered entries, associations with subnetId).
func networkACL(it *item) {
	r, cfg := it.r, it.cfg
	fw := &resource.Firewall{Stateless: boolp(true)}
	r.Facts.Firewall = fw
	if !cfg.Present() {
		return
	}
	fw.Default = cfg.B("isDefault")
	before := cfg.C.Count()
	rules := []resource.FirewallRule{}
	entries, _ := cfg.Objs("entries")
	for _, e := range entries {
		dir := "ingress"
		if b := e.B("egress"); b != nil && *b {
			dir = "egress"
		}
		proto := resource.NormProtocol(e.S("protocol"))
		from, to := 0, 65535
		if proto == "tcp" || proto == "udp" {
			if f := e.I("portRange", "from"); f != nil {
				from = *f
			}
			if t := e.I("portRange", "to"); t != nil {
				to = *t
			}
		}
		n := 0
		if p := e.I("ruleNumber"); p != nil {
			n = *p
		}
		rules = append(rules, resource.FirewallRule{Direction: dir, Action: strings.ToLower(e.S("ruleAction")), Protocol: proto,
			FromPort: from, ToPort: to, Priority: n, Sources: resource.NormSources([]string{e.S("cidrBlock"), e.S("ipv6CidrBlock")})})
	}
	if cfg.C.Count() == before {
		fw.Rules = rules // a rule of the wrong shape could hide a deny: all unknown
	}
	before = cfg.C.Count()
	assocs, _ := cfg.Objs("associations")
	for _, a := range assocs {
		attr.Relate(r, resource.RelFirewallOf, a.S("subnetId"))
	}
	if cfg.C.Count() == before || len(assocs) > 0 { // an association of the wrong shape: in use unknown
		fw.InUse = boolp(len(assocs) > 0)
	}
	attr.Relate(r, resource.RelInNetwork, cfg.S("vpcId"))
}

// Native types of the subnets and network interfaces read for
// reachability.
const (
	TypeSubnet           = "AWS::EC2::Subnet"
	TypeNetworkInterface = "AWS::EC2::NetworkInterface"
)

func init() {
	normalizers[TypeSubnet] = subnet
	normalizers[TypeNetworkInterface] = networkInterface
	lb := normalizers["AWS::ElasticLoadBalancingV2::LoadBalancer"]
	normalizers["AWS::ElasticLoadBalancingV2::LoadBalancer"] = func(it *item) {
		lb(it)
		// Its subnets (availabilityZones[].subnetId): the ranges its nodes'
		// addresses lie in, when the subnets' items are in the inventory.
		zones, _ := it.cfg.Objs("availabilityZones")
		for _, z := range zones {
			attr.Relate(it.r, resource.RelInSubnet, z.S("subnetId"))
		}
		// ipAddressType: a dualstack load balancer's listeners receive IPv4
		// and IPv6 clients, one without public IPv4 IPv6 only (ipv4, the
		// default, says nothing more).
		var fams []string
		switch strings.ToLower(it.cfg.S("ipAddressType")) {
		case "dualstack":
			fams = []string{"ipv4", "ipv6"}
		case "dualstack-without-public-ipv4":
			fams = []string{"ipv6"}
		}
		if fams != nil {
			if it.r.Facts.Addressing == nil {
				it.r.Facts.Addressing = &resource.Addressing{}
			}
			it.r.Facts.Addressing.PublicFamilies = fams
		}
	}
}

// subnet: a Config AWS::EC2::Subnet item (the EC2 Subnet shape: subnetId,
// vpcId, cidrBlock, ipv6CidrBlockAssociationSet[].ipv6CidrBlock). It stays
// class other (a VPC's rules are the network's) with its ranges as
// Addressing.Prefixes, related to its VPC.
func subnet(it *item) {
	cfg := it.cfg
	if !cfg.Present() {
		return
	}
	it.r.Facts.Addressing = vpcAddressing(cfg)
	attr.Relate(it.r, resource.RelInNetwork, cfg.S("vpcId"))
}

// networkInterface: a Config AWS::EC2::NetworkInterface item (the EC2
// NetworkInterface shape: subnetId, vpcId, groups[].groupId,
// privateIpAddress, privateIpAddresses[] with their association.publicIp,
// association.publicIp, ipv6Addresses[].ipv6Address, attachment.instanceId).
// It stays class other: its subnet, security groups and addresses are the
// instance's that uses it (uses_interface, from the instance's item), so
// reachability reads them when the instance's own item lacks them.
// Addressing.PublicIPv6 is whether it has an IPv6 address (unknown when
// ipv6Addresses is absent or malformed).
func networkInterface(it *item) {
	r, cfg := it.r, it.cfg
	if !cfg.Present() {
		return
	}
	attr.Relate(r, resource.RelInSubnet, cfg.S("subnetId"))
	attr.Relate(r, resource.RelInNetwork, cfg.S("vpcId"))
	groups, _ := cfg.Objs("groups")
	for _, g := range groups {
		attr.Relate(r, resource.RelUsesFirewall, g.S("groupId"))
	}
	ad := &resource.Addressing{}
	add := func(list *[]string, ip string) {
		if ip != "" && !contains(*list, ip) {
			*list = append(*list, ip)
		}
	}
	add(&ad.PrivateIPs, cfg.S("privateIpAddress"))
	add(&ad.PublicIPs, cfg.S("association", "publicIp"))
	pips, _ := cfg.Objs("privateIpAddresses")
	for _, p := range pips {
		add(&ad.PrivateIPs, p.S("privateIpAddress"))
		add(&ad.PublicIPs, p.S("association", "publicIp"))
	}
	if v6, st := cfg.Objs("ipv6Addresses"); st == ok {
		ad.PublicIPv6 = boolp(false)
		for _, a := range v6 {
			if ip := a.S("ipv6Address"); ip != "" {
				add(&ad.PublicIPs, ip)
				ad.PublicIPv6 = boolp(true)
			}
		}
	}
	r.Facts.Addressing = ad
}
