package reach

import (
	"slices"
	"strings"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

func addr(r *resource.Resource, ips ...string) *resource.Resource {
	r.Facts.Addressing = &resource.Addressing{PrivateIPs: ips}
	return r
}

func network(p resource.Provider, id string, rs []resource.Relationship, cidrs ...string) *resource.Resource {
	return &resource.Resource{Provider: p, ID: id, Class: resource.ClassNetwork, Relationships: rs,
		Facts: resource.Facts{Network: &resource.Network{}, Addressing: &resource.Addressing{Prefixes: cidrs}}}
}

func link(p resource.Provider, id string, l resource.NetworkLink) *resource.Resource {
	return &resource.Resource{Provider: p, ID: id, Name: lastSeg(id), Class: resource.ClassOther, Facts: resource.Facts{NetworkLink: &l}}
}

func egress(action, proto string, from, to, prio int, dsts ...string) resource.FirewallRule {
	r := ingress(action, proto, from, to, prio, dsts...)
	r.Direction = "egress"
	return r
}

// multiCloud: an AWS VPC and a GCP network joined by a site-to-site VPN
// (matched by their public addresses), a second AWS subnet behind a
// network ACL denying PostgreSQL, and two peered Azure VNets with an NSG
// denying RDP from the peer at a higher priority than its allow.
func multiCloud() []*resource.Resource {
	const gnet = "projects/p/global/networks/net-g"
	sgWeb := fw(resource.AWS, "sg-web", nil, ingress("allow", "tcp", 22, 22, 0, "10.128.0.0/20"), ingress("allow", "tcp", 443, 443, 0, "0.0.0.0/0"), egress("allow", "all", 0, 65535, 0, "0.0.0.0/0"))
	sgDB := fw(resource.AWS, "sg-db", nil, ingress("allow", "tcp", 5432, 5432, 0, "sg-web"), egress("allow", "all", 0, 65535, 0, "0.0.0.0/0"))
	aclA := nacl("acl-a", "subnet-a", naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0"))
	aclB := nacl("acl-b", "subnet-b", ingress("deny", "tcp", 5432, 5432, 50, "10.0.0.0/16"), naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0"))
	gsub := network(resource.GCP, "//compute.googleapis.com/projects/p/regions/r/subnetworks/sub-g", rel(resource.RelInNetwork, "https://www.googleapis.com/compute/v1/"+gnet), "10.128.0.0/20")
	gvm := addr(vm(resource.GCP, "//compute.googleapis.com/projects/p/zones/z/instances/vm-g", no, rel(resource.RelInNetwork, "https://www.googleapis.com/compute/v1/"+gnet)), "10.128.0.5")
	gvm.Name = "vm-g"
	gfw := fw(resource.GCP, "//compute.googleapis.com/projects/p/global/firewalls/allow-ssh", rel(resource.RelInNetwork, gnet), ingress("allow", "tcp", 22, 22, 1000, "10.0.0.0/16"))
	return []*resource.Resource{
		network(resource.AWS, "vpc-a", nil, "10.0.0.0/16"),
		addr(vm(resource.AWS, "i-web", yes, rels(rel(resource.RelInSubnet, "subnet-a"), rel(resource.RelInNetwork, "vpc-a"), rel(resource.RelUsesFirewall, "sg-web"))), "10.0.1.10"),
		addr(vm(resource.AWS, "i-db", no, rels(rel(resource.RelInSubnet, "subnet-b"), rel(resource.RelInNetwork, "vpc-a"), rel(resource.RelUsesFirewall, "sg-db"))), "10.0.2.10"),
		sgWeb, sgDB, aclA, aclB,
		routes(resource.AWS, "rtb-a", false, rels(rel(resource.RelRoutesFor, "subnet-a"), rel(resource.RelRoutesFor, "subnet-b")), local, toIGW,
			resource.Route{Destination: "10.128.0.0/20", NextHop: "vpn", Target: "vgw-1"}),
		link(resource.AWS, "vgw-1", resource.NetworkLink{Kind: resource.LinkVPNGateway, Networks: []string{"vpc-a"}}),
		link(resource.AWS, "cgw-1", resource.NetworkLink{Kind: resource.LinkPeerGateway, PeerIPs: []string{"35.1.1.1"}}),
		link(resource.AWS, "vpn-1", resource.NetworkLink{Kind: resource.LinkVPNConnection, Gateway: "vgw-1", PeerGateway: "cgw-1", PublicIPs: []string{"52.1.1.1"}, Prefixes: []string{"10.128.0.0/20"}, BGP: no}),
		network(resource.GCP, "//compute.googleapis.com/"+gnet, nil), gsub, gvm, gfw,
		routes(resource.GCP, "//compute.googleapis.com/projects/p/global/routes/to-aws", false, rel(resource.RelRoutesFor, gnet),
			resource.Route{Destination: "10.0.0.0/16", NextHop: "vpn", Target: "https://www.googleapis.com/compute/v1/projects/p/regions/r/vpnTunnels/tunnel-1"}),
		link(resource.GCP, "//compute.googleapis.com/projects/p/regions/r/vpnGateways/ha-1", resource.NetworkLink{Kind: resource.LinkVPNGateway, Networks: []string{gnet}, PublicIPs: []string{"35.1.1.1"}}),
		link(resource.GCP, "//compute.googleapis.com/projects/p/regions/r/vpnTunnels/tunnel-1", resource.NetworkLink{Kind: resource.LinkVPNConnection, Gateway: "projects/p/regions/r/vpnGateways/ha-1", PeerIPs: []string{"52.1.1.1"}}),
	}
}

func azurePeered() []*resource.Resource {
	v1 := network(resource.Azure, "/sub/vnet-1", nil, "10.1.0.0/16")
	v1.Facts.Network.Peerings = []resource.Peering{{Name: "to-2", Remote: "/sub/VNET-2", State: "Connected", Up: yes}}
	v2 := network(resource.Azure, "/sub/vnet-2", nil, "10.2.0.0/16")
	v2.Facts.Network.Peerings = []resource.Peering{{Name: "to-1", Remote: "/sub/vnet-1", State: "Connected", Up: yes}}
	return []*resource.Resource{v1, v2,
		vm(resource.Azure, "/sub/vm-1", nil, rel(resource.RelUsesInterface, "/sub/nic-1")),
		addr(other(resource.Azure, "/sub/nic-1", rels(rel(resource.RelInSubnet, "/sub/vnet-1/subnets/sn-1"), rel(resource.RelInNetwork, "/sub/vnet-1"))), "10.1.0.4"),
		fw(resource.Azure, "/sub/nsg-1", rel(resource.RelFirewallOf, "/sub/vnet-1/subnets/sn-1"),
			ingress("deny", "tcp", 3389, 3389, 100, "10.2.0.0/16"), ingress("allow", "tcp", 3389, 3389, 200, "VirtualNetwork")),
		vm(resource.Azure, "/sub/vm-2", nil, rel(resource.RelUsesInterface, "/sub/nic-2")),
		addr(other(resource.Azure, "/sub/nic-2", rels(rel(resource.RelInSubnet, "/sub/vnet-2/subnets/sn-2"), rel(resource.RelInNetwork, "/sub/vnet-2"))), "10.2.0.4"),
	}
}

func hopsText(p resource.ExposurePath) string {
	var s []string
	for _, h := range p.Hops {
		s = append(s, lastSeg(h.Resource)+": "+h.Allows)
	}
	return strings.Join(s, " | ")
}

func lastSeg(s string) string { return s[strings.LastIndex(s, "/")+1:] }

func pathSummary(res *PathResult) string {
	switch res.Verdict {
	case Denied:
		return "denied at " + lastSeg(res.Denied.Resource) + ": " + res.Denied.Reason
	case Undecided:
		return "undecided: " + strings.Join(res.Undecided, "; ")
	}
	var s []string
	for _, p := range res.Paths {
		s = append(s, p.Protocol+" "+portsText(set{{p.FromPort, p.ToPort}}))
	}
	return strings.Join(s, ", ")
}

func TestPath(t *testing.T) {
	cases := []struct {
		note     string
		rs       []*resource.Resource
		src, dst string
		port     string
		want     string // written before the code
	}{
		{"gcp VM to an AWS instance over the VPN: ssh from its range, https from anywhere", multiCloud(), "vm-g", "i-web", "", "tcp 22, tcp 443"},
		{"aws instance to the GCP VM over the VPN: ssh allowed by the GCP firewall", multiCloud(), "i-web", "vm-g", "tcp/22", "tcp 22"},
		{"gcp firewall implied deny for another port", multiCloud(), "i-web", "vm-g", "tcp/80", "denied at net-g: denied by implied rules: deny all 0-65535 from 0.0.0.0/0 (priority 65535)"},
		{"same VPC, the security group allows, the NACL denies first", multiCloud(), "i-web", "i-db", "tcp/5432", "denied at acl-b: denied by acl-b: deny tcp 5432 from 10.0.0.0/16 (priority 50)"},
		{"gcp VM to the database: the NACL deny is for the VPC range only, the security group allows sg-web only", multiCloud(), "vm-g", "i-db", "tcp/5432", "denied at sg-db: no ingress rule of sg-db allows tcp 5432 from 10.128.0.5 (implicit deny)"},
		{"internet to the web instance: 443 through the IGW", multiCloud(), "internet", "i-web", "", "tcp 443"},
		{"internet to the GCP VM: no external IP", multiCloud(), "internet", "vm-g", "", "denied at vm-g: no public IP: nothing on the internet addresses it"},
		{"azure peering, NSG deny at priority 100 before the allow at 200", azurePeered(), "/sub/vm-2", "/sub/vm-1", "tcp/3389", "denied at nsg-1: denied by /sub/nsg-1: deny tcp 3389 from 10.2.0.0/16 (priority 100)"},
		{"azure peering, the default AllowVnetInBound lets ssh in", azurePeered(), "/sub/vm-2", "/sub/vm-1", "tcp/22", "tcp 22"},
		{"azure peering, no NSG on the other side", azurePeered(), "/sub/vm-1", "/sub/vm-2", "udp/53", "udp 53"},
		{"aws network ACL letting the request in but not the reply out (stateless)", statelessReply(), "i-a", "i-b", "tcp/22",
			"denied at acl-b: the reply: no egress rule of acl-b allows tcp 1024-65535 to 10.0.1.10 (implicit deny) (network ACLs are stateless)"},
		{"aws network ACL: the reply to a port the ACL lets out", statelessReply(), "i-b", "i-a", "tcp/22", "tcp 22"},
		{"aws VPN whose other end is not in the inventory: undecided", strayVPN(), "i-web", "vm-g", "tcp/22",
			"undecided: the other end of VPN connection vpn-1 (peer 198.51.100.7) is not in the inventory"},
		{"a Classic GCP gateway without its addresses: the VPN is matched from the AWS side", classicGCP(), "vm-g", "i-web", "tcp/22", "tcp 22"},
		{"gcp source tag in the same network", gcpTags(), "vm-a", "vm-a2", "tcp/22", "tcp 22"},
		{"gcp source tag does not cross a peering", gcpTags(), "vm-a", "vm-b", "tcp/22",
			"denied at net-2: denied by implied rules: deny all 0-65535 from 0.0.0.0/0 (priority 65535)"},
		{"peering not active: denied at the peering", peered(resource.Bool(false), "10.1.0.0/16"), "i-a", "i-b", "tcp/22", "denied at pcx-1: VPC peering pcx-1 between vpc-a and vpc-b is not active"},
		{"peering active", peered(yes, "10.1.0.0/16"), "i-a", "i-b", "tcp/22", "tcp 22"},
		{"the destination's network ACL not exported: undecided", without(peered(yes, "10.1.0.0/16"), "acl-b"), "i-a", "i-b", "tcp/22",
			"undecided: i-b: the network ACL of subnet subnet-b is not in the inventory"},
		{"no route, and the destination's ACL not exported: the route decides",
			append(without(peered(yes, "10.1.0.0/16"), "acl-b", "rtb-a"), routes(resource.AWS, "rtb-a", false, rel(resource.RelRoutesFor, "subnet-a"), local)), "i-a", "i-b", "tcp/22",
			"denied at rtb-a: no route to 10.1.5.5 in the route tables of i-a"},
		{"overlapping ranges across a peering: undecided, never a guess", peered(yes, "10.0.0.0/16"), "i-a", "i-b", "tcp/22",
			"undecided: 10.0.5.5 is in a local range of vpc-a but the destination is in another network (overlapping addresses?)"},
	}
	for _, tc := range cases {
		t.Run(tc.note, func(t *testing.T) {
			Annotate(tc.rs)
			g := New(tc.rs)
			src, err := g.Resolve(tc.src)
			if err != nil {
				t.Fatal(err)
			}
			dst, err := g.Resolve(tc.dst)
			if err != nil {
				t.Fatal(err)
			}
			q, err := ParseQuery(tc.port)
			if err != nil {
				t.Fatal(err)
			}
			res := g.Path(src, dst, q)
			if got := pathSummary(res); got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
				for _, p := range res.Paths {
					t.Logf("%s %d: %s", p.Protocol, p.FromPort, hopsText(p))
				}
				if res.Denied != nil {
					t.Logf("after %+v", res.Denied.After)
				}
			}
		})
	}
}

// TestPathHopsVPN: the AWS↔GCP case, every hop named: the GCP
// egress rule and route to the tunnel, both VPN ends, the AWS network ACL
// and security group, and the AWS route back to the virtual private gateway.
func TestPathHopsVPN(t *testing.T) {
	rs := multiCloud()
	g := New(rs)
	src, _ := g.Resolve("vm-g")
	dst, _ := g.Resolve("i-web")
	res := g.Path(src, dst, Query{Protocol: "tcp", FromPort: 22, ToPort: 22})
	if len(res.Paths) != 1 {
		t.Fatalf("%+v", res)
	}
	want := "net-g: implied rules: allow all 0-65535 to 0.0.0.0/0 (priority 65535) | to-aws: route 10.0.0.0/16 -> vpnTunnels/tunnel-1 | " +
		"tunnel-1: VPN tunnel-1 to peer 52.1.1.1 | vpn-1: VPN vpn-1 (aws) from peer 35.1.1.1 | acl-a: acl-a: allow all 0-65535 from 0.0.0.0/0 (priority 100) | sg-web: sg-web: allow tcp 22 from 10.128.0.0/20 | " +
		"rtb-a: return: route 10.128.0.0/20 -> vgw-1 | vpn-1: return: VPN vpn-1 to peer 35.1.1.1 | tunnel-1: return: VPN tunnel-1 (gcp) from peer 52.1.1.1 | " +
		"acl-a: reply: acl-a: allow all 0-65535 to 0.0.0.0/0 (priority 100)"
	if got := hopsText(res.Paths[0]); got != want {
		t.Errorf("hops\n%s\nwant\n%s", got, want)
	}
}

// statelessReply: i-b's subnet ACL lets everything in but only ports
// 0-1023 out, so replies to a client's ephemeral port are dropped.
func statelessReply() []*resource.Resource {
	return []*resource.Resource{
		network(resource.AWS, "vpc-1", nil, "10.0.0.0/16"),
		addr(vm(resource.AWS, "i-a", no, rels(rel(resource.RelInSubnet, "subnet-a"), rel(resource.RelInNetwork, "vpc-1"), rel(resource.RelUsesFirewall, "sg-all"))), "10.0.1.10"),
		addr(vm(resource.AWS, "i-b", no, rels(rel(resource.RelInSubnet, "subnet-b"), rel(resource.RelInNetwork, "vpc-1"), rel(resource.RelUsesFirewall, "sg-all"))), "10.0.2.10"),
		fw(resource.AWS, "sg-all", nil, allowAll, egress("allow", "all", 0, 65535, 0, "0.0.0.0/0")),
		nacl("acl-a", "subnet-a", naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0")),
		nacl("acl-b", "subnet-b", naclAllow, egress("allow", "tcp", 0, 1023, 100, "0.0.0.0/0")),
		routes(resource.AWS, "rtb-1", true, rel(resource.RelRoutesFor, "vpc-1"), local),
	}
}

// strayVPN: the AWS VPN's customer gateway is an address no export holds.
func strayVPN() []*resource.Resource {
	rs := multiCloud()
	for _, r := range rs {
		if r.ID == "cgw-1" {
			r.Facts.NetworkLink.PeerIPs = []string{"198.51.100.7"}
		}
	}
	return rs
}

// peered: two VPCs joined by pcx-1 (active or not), vpc-b with the given
// range, routes both ways, everything allowed.
func peered(up *bool, bRange string) []*resource.Resource {
	sg := fw(resource.AWS, "sg-all", nil, allowAll, egress("allow", "all", 0, 65535, 0, "0.0.0.0/0"))
	acl := func(id, sn string) *resource.Resource {
		return nacl(id, sn, naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0"))
	}
	bAddr := "10.1.5.5"
	if bRange == "10.0.0.0/16" {
		bAddr = "10.0.5.5"
	}
	return []*resource.Resource{
		network(resource.AWS, "vpc-a", nil, "10.0.0.0/16"), network(resource.AWS, "vpc-b", nil, bRange),
		link(resource.AWS, "pcx-1", resource.NetworkLink{Kind: resource.LinkPeering, Networks: []string{"vpc-a", "vpc-b"}, Up: up}),
		addr(vm(resource.AWS, "i-a", no, rels(rel(resource.RelInSubnet, "subnet-a"), rel(resource.RelInNetwork, "vpc-a"), rel(resource.RelUsesFirewall, "sg-all"))), "10.0.1.10"),
		addr(vm(resource.AWS, "i-b", no, rels(rel(resource.RelInSubnet, "subnet-b"), rel(resource.RelInNetwork, "vpc-b"), rel(resource.RelUsesFirewall, "sg-all"))), bAddr),
		sg, acl("acl-a", "subnet-a"), acl("acl-b", "subnet-b"),
		routes(resource.AWS, "rtb-a", false, rel(resource.RelRoutesFor, "subnet-a"), resource.Route{Destination: "10.0.0.0/16", NextHop: "local"},
			resource.Route{Destination: bRange, NextHop: "peering", Target: "pcx-1"}),
		routes(resource.AWS, "rtb-b", false, rel(resource.RelRoutesFor, "subnet-b"), resource.Route{Destination: bRange, NextHop: "local"},
			resource.Route{Destination: "10.0.0.0/16", NextHop: "peering", Target: "pcx-1"}),
	}
}

// classicGCP: the GCP gateway's addresses are not exported (a Classic VPN
// gateway's are its forwarding rules'); the AWS customer gateway names
// the address anyway, so the GCP tunnel's peer address matches one way.
func classicGCP() []*resource.Resource {
	rs := multiCloud()
	for _, r := range rs {
		if l := r.Facts.NetworkLink; l != nil && l.Kind == resource.LinkVPNGateway && r.Provider == resource.GCP {
			l.PublicIPs = nil
		}
	}
	return rs
}

func without(rs []*resource.Resource, ids ...string) []*resource.Resource {
	var out []*resource.Resource
	for _, r := range rs {
		if !slices.Contains(ids, r.ID) {
			out = append(out, r)
		}
	}
	return out
}

// gcpTags: vm-a (tag web) and vm-a2 in net-1, vm-b in net-2 peered with
// it; each network's firewall allows 22 from the source tag web.
func gcpTags() []*resource.Resource {
	var rs []*resource.Resource
	for _, n := range []struct{ name, cidr, peer string }{{"net-1", "10.1.0.0/16", "net-2"}, {"net-2", "10.2.0.0/16", "net-1"}} {
		nw := network(resource.GCP, n.name, nil, n.cidr)
		nw.Facts.Network.Peerings = []resource.Peering{{Remote: n.peer, State: "ACTIVE", Up: yes}}
		rs = append(rs, nw,
			routes(resource.GCP, "route-"+n.name, false, rel(resource.RelRoutesFor, n.name), resource.Route{Destination: "0.0.0.0/0", NextHop: "internet"}))
	}
	v := func(id, net, ip string, tags ...string) *resource.Resource {
		r := addr(vm(resource.GCP, id, no, rel(resource.RelInNetwork, net)), ip)
		r.Facts.Compute.NetworkTags = tags
		return r
	}
	fwOf := func(id, net string) *resource.Resource {
		return fw(resource.GCP, id, rel(resource.RelInNetwork, net), ingress("allow", "tcp", 22, 22, 1000, "web"))
	}
	return append(rs, v("vm-a", "net-1", "10.1.0.5", "web"), v("vm-a2", "net-1", "10.1.0.6"), v("vm-b", "net-2", "10.2.0.5"),
		fwOf("allow-web-a", "net-1"), fwOf("allow-web-b", "net-2"))
}
