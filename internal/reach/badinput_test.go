package reach

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vigil-sec/vigil/internal/resource"
)

// TestPathBadInput: random inventories full of what real exports get
// wrong (peerings in cycles and to themselves, VPN connections whose
// peers point back at each other in a ring, overlapping and malformed
// ranges, routes to missing or looping next hops, addresses outside any
// range, firewalls missing): every path question ends, never panics, and
// gives one of the three verdicts, a denial naming a resource.
func TestPathBadInput(t *testing.T) {
	counts := map[string]int{}
	defer func() { t.Logf("verdicts %v", counts) }()
	kinds := []string{"local", "peering", "vpn", "internet", "nat", "transit", "blackhole", "other", ""}
	for seed := range uint64(40) {
		r := rand.New(rand.NewPCG(seed, 13))
		provs := []resource.Provider{resource.AWS, resource.Azure, resource.GCP}
		var rs []*resource.Resource
		nNet := 1 + r.IntN(4)
		cidr := func() string {
			switch r.IntN(6) {
			case 0:
				return "not-a-cidr"
			case 1:
				return "0.0.0.0/0"
			}
			return fmt.Sprintf("10.%d.0.0/%d", r.IntN(3), 8+r.IntN(17))
		}
		for i := range nNet {
			p := provs[r.IntN(3)]
			n := network(p, fmt.Sprintf("net-%d", i), nil, cidr(), cidr())
			for range r.IntN(3) {
				n.Facts.Network.Peerings = append(n.Facts.Network.Peerings, resource.Peering{Remote: fmt.Sprintf("net-%d", r.IntN(nNet)), Up: resource.Bool(r.IntN(2) == 0)})
			}
			rs = append(rs, n,
				routes(p, fmt.Sprintf("rt-%d", i), r.IntN(2) == 0, rels(rel(resource.RelRoutesFor, fmt.Sprintf("net-%d", i)), rel(resource.RelRoutesFor, fmt.Sprintf("sn-%d", i))),
					resource.Route{Destination: cidr(), NextHop: kinds[r.IntN(len(kinds))], Target: fmt.Sprintf("link-%d", r.IntN(4))},
					resource.Route{Destination: cidr(), NextHop: kinds[r.IntN(len(kinds))], Target: fmt.Sprintf("gw-%d", r.IntN(3))}),
				link(p, fmt.Sprintf("link-%d", i), resource.NetworkLink{Kind: resource.LinkPeering, Networks: []string{fmt.Sprintf("net-%d", r.IntN(nNet)), fmt.Sprintf("net-%d", r.IntN(nNet))}}),
				link(p, fmt.Sprintf("gw-%d", i), resource.NetworkLink{Kind: resource.LinkVPNGateway, Networks: []string{fmt.Sprintf("net-%d", r.IntN(nNet))}, PublicIPs: []string{fmt.Sprintf("198.51.100.%d", r.IntN(4))}}),
				link(p, fmt.Sprintf("vpn-%d", i), resource.NetworkLink{Kind: resource.LinkVPNConnection, Gateway: fmt.Sprintf("gw-%d", r.IntN(nNet)),
					PeerIPs: []string{fmt.Sprintf("198.51.100.%d", r.IntN(4))}, BGP: resource.Bool(r.IntN(2) == 0), Prefixes: []string{cidr()}}),
			)
			if r.IntN(3) > 0 {
				rs = append(rs, fw(p, fmt.Sprintf("fw-%d", i), rels(rel(resource.RelFirewallOf, fmt.Sprintf("sn-%d", i)), rel(resource.RelInNetwork, fmt.Sprintf("net-%d", i))),
					ingress("allow", "tcp", 22, 22, 100, "10.0.0.0/8"), egress("allow", "all", 0, 65535, 100, "0.0.0.0/0"), ingress("deny", "all", 0, 65535, 50, "sg-x", "VirtualNetwork")))
				rs = append(rs, nacl(fmt.Sprintf("acl-%d", i), fmt.Sprintf("sn-%d", i), naclAllow, egress("allow", "all", 0, 65535, 100, "0.0.0.0/0")))
			}
		}
		for i := range 3 + r.IntN(5) {
			p := provs[r.IntN(3)]
			net, sn := fmt.Sprintf("net-%d", r.IntN(nNet)), fmt.Sprintf("sn-%d", r.IntN(nNet))
			nic := addr(other(p, fmt.Sprintf("nic-%d", i), rels(rel(resource.RelInSubnet, sn), rel(resource.RelInNetwork, net), rel(resource.RelUsesFirewall, fmt.Sprintf("fw-%d", r.IntN(nNet))))),
				fmt.Sprintf("10.%d.%d.%d", r.IntN(3), r.IntN(256), r.IntN(256)))
			v := addr(vm(p, fmt.Sprintf("vm-%d", i), resource.Bool(r.IntN(2) == 0), rels(rel(resource.RelUsesInterface, nic.ID), rel(resource.RelInSubnet, sn), rel(resource.RelInNetwork, net),
				rel(resource.RelUsesFirewall, fmt.Sprintf("fw-%d", r.IntN(nNet))))), fmt.Sprintf("10.%d.%d.%d", r.IntN(3), r.IntN(256), r.IntN(256)))
			rs = append(rs, nic, v)
		}
		Annotate(rs)
		g := New(rs)
		for _, src := range rs {
			if src.Facts.Compute == nil {
				continue
			}
			for _, res := range g.From(src, Query{}) {
				counts[res.Verdict]++
				switch res.Verdict {
				case Reachable:
					if len(res.Paths) == 0 {
						t.Errorf("seed %d: reachable without a path: %+v", seed, res)
					}
				case Denied:
					if res.Denied == nil || res.Denied.Reason == "" {
						t.Errorf("seed %d: denied without a reason: %+v", seed, res)
					}
				case Undecided:
					if len(res.Undecided) == 0 {
						t.Errorf("seed %d: undecided without a reason: %+v", seed, res)
					}
				default:
					t.Errorf("seed %d: verdict %q", seed, res.Verdict)
				}
			}
			g.Path(nil, src, Query{Protocol: "tcp", FromPort: 22, ToPort: 22})
		}
	}
}
