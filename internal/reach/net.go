package reach

import (
	"net/netip"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// The networks of an inventory and the links between them (peerings,
// site-to-site VPNs inside a cloud and between clouds), indexed once for
// path questions (Path, From); Annotate does not need them.

// netInfo is one network (AWS VPC, Azure VNet, GCP VPC network).
type netInfo struct {
	key      string
	r        *resource.Resource // nil when the network itself is not in the inventory
	prefixes []netip.Prefix
	peerings []peerLink
	gateways []*resource.Resource // VPN gateways attached to it
	nats     []*resource.Resource // Cloud NATs serving it (outbound only)
	// hub: the network whose VPN gateways this one uses through a peering
	// (Azure useRemoteGateways); spokes: the networks using this one's.
	hub    string
	spokes []string
}

// peerLink is a peering seen from one of its networks.
type peerLink struct {
	remote   string // network key
	remoteID string // the remote network as the link names it
	via      *resource.Resource
	text     string
	up       *bool
	// prefixes are the remote ranges the peering records (Azure).
	prefixes []netip.Prefix
}

// links is the index of networks and VPNs.
type links struct {
	nets map[string]*netInfo
	// conns: gateway key → the VPN connections terminating on it.
	conns map[string][]*resource.Resource
	// remote: connection → the connections of the other end, matched by
	// their public addresses.
	remote map[*resource.Resource][]*resource.Resource
	// transit: AWS transit gateways' attachments and route tables.
	transit *transitIndex
	// dx: AWS Direct Connect gateways' associations.
	dx *dxIndex
}

// netKey is the key of a network named by id (resolved through aliases).
func (g *Graph) netKey(p resource.Provider, id string) string {
	if id == "" {
		return ""
	}
	if r := g.find(p, id); r != nil {
		return g.key(p, r.ID)
	}
	return g.key(p, id)
}

func (g *Graph) net(k string) *netInfo {
	n := g.links.nets[k]
	if n == nil {
		n = &netInfo{key: k}
		g.links.nets[k] = n
	}
	return n
}

func prefixes(ss []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range ss {
		if p, err := netip.ParsePrefix(strings.TrimSpace(s)); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(strings.TrimSpace(s)); err == nil {
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

// indexLinks builds g.links once.
func (g *Graph) indexLinks() {
	if g.links != nil {
		return
	}
	g.links = &links{nets: map[string]*netInfo{}, conns: map[string][]*resource.Resource{}, remote: map[*resource.Resource][]*resource.Resource{}}
	var conns, dxAssocs []*resource.Resource
	for _, r := range g.all {
		switch {
		case r.Facts.Network != nil:
			k := g.netKey(r.Provider, r.ID)
			if parent := first(targets(r, resource.RelInNetwork)); parent != "" { // a subnet
				k = g.netKey(r.Provider, parent)
			} else {
				g.net(k).r = r
			}
			n := g.net(k)
			if r.Facts.Addressing != nil {
				n.prefixes = append(n.prefixes, prefixes(r.Facts.Addressing.Prefixes)...)
			}
			for _, p := range r.Facts.Network.Peerings {
				text := "peering with " + p.Remote
				if p.Name != "" {
					text = "peering " + p.Name + " with " + p.Remote
				}
				if p.State != "" {
					text += " (" + strings.ToLower(p.State) + ")"
				}
				n.peerings = append(n.peerings, peerLink{remote: g.netKey(r.Provider, p.Remote), remoteID: p.Remote, via: r, text: text, up: p.Up, prefixes: prefixes(p.RemotePrefixes)})
				if p.UseRemoteGateways != nil && *p.UseRemoteGateways && (p.Up == nil || *p.Up) {
					hub := g.netKey(r.Provider, p.Remote)
					n.hub = hub
					g.net(hub).spokes = append(g.net(hub).spokes, k)
				}
			}
		case r.Facts.NetworkLink != nil:
			l := r.Facts.NetworkLink
			switch l.Kind {
			case resource.LinkPeering:
				if len(l.Networks) == 2 {
					a, b := g.netKey(r.Provider, l.Networks[0]), g.netKey(r.Provider, l.Networks[1])
					text := "VPC peering " + name(r) + " between " + l.Networks[0] + " and " + l.Networks[1]
					g.net(a).peerings = append(g.net(a).peerings, peerLink{remote: b, remoteID: l.Networks[1], via: r, text: text, up: l.Up})
					g.net(b).peerings = append(g.net(b).peerings, peerLink{remote: a, remoteID: l.Networks[0], via: r, text: text, up: l.Up})
				}
			case resource.LinkVPNGateway:
				for _, nw := range l.Networks {
					n := g.net(g.netKey(r.Provider, nw))
					n.gateways = append(n.gateways, r)
				}
			case resource.LinkDXAssociation:
				dxAssocs = append(dxAssocs, r)
			case resource.LinkNAT:
				for _, nw := range l.Networks {
					n := g.net(g.netKey(r.Provider, nw))
					n.nats = append(n.nats, r)
				}
			case resource.LinkVPNConnection, resource.LinkInterconnect:
				conns = append(conns, r)
				if l.Kind == resource.LinkInterconnect && l.Gateway == "" && len(l.Networks) > 0 {
					// A GCP Interconnect attachment is its network's way
					// out itself (through its Cloud Router).
					for _, nw := range l.Networks {
						n := g.net(g.netKey(r.Provider, nw))
						n.gateways = append(n.gateways, r)
					}
					k := g.key(r.Provider, r.ID)
					g.links.conns[k] = append(g.links.conns[k], r)
					break
				}
				gk := g.netKey(r.Provider, l.Gateway)
				g.links.conns[gk] = append(g.links.conns[gk], r)
			}
		}
	}
	g.indexTransit()
	g.indexDX(dxAssocs)
	// Match the two ends of each VPN: one end's peer addresses are the
	// other end's public addresses, both ways when both are known.
	byIP := map[string][]*resource.Resource{}
	for _, c := range conns {
		for _, ip := range g.localIPs(c) {
			byIP[ip] = append(byIP[ip], c)
		}
	}
	// An end whose own addresses are not exported (a Classic GCP gateway's
	// are its forwarding rules') is matched one way, from the other end.
	for _, c := range conns {
		mine := g.localIPs(c)
		for _, ip := range g.peerIPs(c) {
			for _, o := range byIP[ip] {
				if o == c || slices.Contains(g.links.remote[c], o) {
					continue
				}
				if back := g.peerIPs(o); len(back) > 0 && len(mine) > 0 && !slices.ContainsFunc(back, func(b string) bool { return slices.Contains(mine, b) }) {
					continue
				}
				g.links.remote[c] = append(g.links.remote[c], o)
				if !slices.Contains(g.links.remote[o], c) {
					g.links.remote[o] = append(g.links.remote[o], c)
				}
			}
		}
	}
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// gateway returns the VPN gateway a connection terminates on.
func (g *Graph) gateway(c *resource.Resource) *resource.Resource {
	if l := c.Facts.NetworkLink; l.Kind == resource.LinkInterconnect && l.Gateway == "" && len(l.Networks) > 0 {
		return c
	}
	if gw := g.get(c, c.Facts.NetworkLink.Gateway); gw != nil && gw.Facts.NetworkLink != nil {
		return gw
	}
	return nil
}

// localIPs: the public addresses of a connection's own end: its own and
// its gateway's (with the addresses of the gateway's public IP resources).
func (g *Graph) localIPs(c *resource.Resource) []string {
	out := slices.Clone(c.Facts.NetworkLink.PublicIPs)
	if c.Facts.NetworkLink.Kind == resource.LinkInterconnect {
		// An ExpressRoute circuit holds Microsoft's BGP addresses.
		if pg := g.get(c, c.Facts.NetworkLink.PeerGateway); pg != nil && pg.Facts.NetworkLink != nil {
			out = append(out, pg.Facts.NetworkLink.PublicIPs...)
		}
		return out
	}
	if gw := g.gateway(c); gw != nil && gw != c {
		out = append(out, gw.Facts.NetworkLink.PublicIPs...)
		for _, id := range targets(gw, resource.RelUsesPublicIP) {
			if pip := g.get(gw, id); pip != nil && pip.Facts.Addressing != nil {
				out = append(out, pip.Facts.Addressing.PublicIPs...)
			}
		}
	}
	return out
}

// peerIPs: the addresses of the other end, as this end describes it.
func (g *Graph) peerIPs(c *resource.Resource) []string {
	out := slices.Clone(c.Facts.NetworkLink.PeerIPs)
	if pg := g.get(c, c.Facts.NetworkLink.PeerGateway); pg != nil && pg.Facts.NetworkLink != nil {
		out = append(out, pg.Facts.NetworkLink.PeerIPs...)
	}
	return uniq(out)
}

// peerPrefixes: the ranges a connection routes to the other end (its
// static routes, the peer gateway's address prefixes).
func (g *Graph) peerPrefixes(c *resource.Resource) []netip.Prefix {
	out := prefixes(c.Facts.NetworkLink.Prefixes)
	if pg := g.get(c, c.Facts.NetworkLink.PeerGateway); pg != nil && pg.Facts.NetworkLink != nil {
		out = append(out, prefixes(pg.Facts.NetworkLink.Prefixes)...)
	}
	return out
}

// connNetworks: the networks behind a connection's own end.
func (g *Graph) connNetworks(c *resource.Resource) []string {
	gw := g.gateway(c)
	if gw == nil {
		if g.onDXGateway(c) {
			nets, _ := g.dxNetworks(c)
			return nets
		}
		return nil
	}
	var out []string
	for _, n := range gw.Facts.NetworkLink.Networks {
		k := g.netKey(gw.Provider, n)
		out = append(out, k)
		if ni := g.links.nets[k]; ni != nil {
			out = append(out, ni.spokes...) // gateway transit to peered spokes
		}
	}
	return out
}

func bgp(c *resource.Resource) bool {
	b := c.Facts.NetworkLink.BGP
	return b != nil && *b
}

// linkWord names the kind of a connection in hops and reasons.
func linkWord(c *resource.Resource) string {
	if c.Facts.NetworkLink.Kind != resource.LinkInterconnect {
		return "VPN connection"
	}
	switch c.Provider {
	case resource.AWS:
		return "Direct Connect virtual interface"
	case resource.Azure:
		return "ExpressRoute connection"
	case resource.GCP:
		return "Interconnect attachment"
	}
	return "interconnect"
}

// hopWord names the kind of a connection in a hop.
func hopWord(c *resource.Resource) string {
	if c.Facts.NetworkLink.Kind != resource.LinkInterconnect {
		return "VPN"
	}
	return linkWord(c)
}
