package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// leg is the route from a host toward an address: the hops of the route
// and the link it takes, or the first hop that drops it, or why it cannot
// be told.
type leg struct {
	hops      []resource.Hop
	deny      *Denial
	undecided string
	// depth counts the transit gateways crossed (bounded: no loop).
	depth int
}

// cand is one route in force for a host: from its route tables, the
// system routes of its cloud, its network's peerings and VPN connections.
type cand struct {
	pf     netip.Prefix
	kind   string // Route.NextHop kinds
	target string
	hop    resource.Hop
	user   bool // an Azure user-defined route: preferred at equal length
}

var anyV4 = netip.MustParsePrefix("0.0.0.0/0")

// route finds the route from h to dst, which is in network want (dst
// invalid: to the internet, by the default route), and follows the link
// it names to want.
func (g *Graph) route(h *host, dst netip.Addr, want string) (ret leg) {
	if !h.routed {
		h.cands, h.noRoutes = g.candidates(h)
		h.routed = true
	}
	open := false // the destination falls to no route or the default route to the internet
	defer func() {
		// A private destination no known route sends elsewhere may be
		// covered by what a BGP link whose other end is not in the
		// inventory advertises (an on-premises or partner network).
		switch {
		case !dst.IsValid() || ret.deny == nil || !open:
		case len(h.unknownBGP) > 0:
			ret.deny, ret.undecided = nil, fmt.Sprintf("the routes to %s: %s learns routes over BGP from %s, whose other end is not in the inventory; they may cover it",
				dst, name(h.r), strings.Join(h.unknownBGP, ", "))
		case len(h.unknownDX) > 0:
			ret.deny, ret.undecided = nil, fmt.Sprintf("the routes to %s: %s may learn routes over %s; they may cover it", dst, name(h.r), dxWhy(h.unknownDX))
		}
	}()
	cands, unknown := h.cands, h.noRoutes
	if unknown != "" {
		return leg{undecided: unknown}
	}
	var best *cand
	for i, c := range cands {
		var in bool
		if dst.IsValid() {
			in = c.pf.Contains(dst)
		} else {
			in = c.pf.Bits() == 0 && c.pf.Addr().Is4()
		}
		if !in {
			continue
		}
		if best == nil || c.pf.Bits() > best.pf.Bits() || (c.pf.Bits() == best.pf.Bits() && c.user && !best.user) {
			best = &cands[i]
		}
	}
	where := cmpOr(h.subnet, h.rawNet)
	if len(cands) > 0 {
		where = cands[0].hop.Resource // the route table
	}
	if best == nil {
		open = true
		what := "the internet (no default route)"
		if dst.IsValid() {
			what = dst.String()
		}
		return leg{deny: &Denial{Resource: where, Reason: "no route to " + what + " in the route tables of " + name(h.r)}}
	}
	l := leg{hops: []resource.Hop{best.hop}}
	if !dst.IsValid() {
		switch best.kind {
		case "internet":
			if h.public != nil && !*h.public && h.r.Provider != resource.Azure {
				if h.r.Provider == resource.GCP {
					if hop, undecided, ok := g.cloudNAT(h); ok {
						l.hops = append(l.hops, hop)
						break
					} else if undecided != "" {
						l.undecided = undecided
						break
					}
				}
				l.deny = &Denial{Resource: h.r.ID, Reason: "no public IP: the default route goes to the internet gateway, which does not translate a private address"}
			}
		case "nat":
		default:
			l.undecided = fmt.Sprintf("the default route of %s goes to %s %s: not evaluated", name(h.r), best.kind, best.target)
		}
		return l
	}
	switch best.kind {
	case "local":
		if h.net != want {
			l.undecided = fmt.Sprintf("%s is in a local range of %s but the destination is in another network (overlapping addresses?)", dst, h.rawNet)
		}
	case "peering":
		l = g.viaPeering(h, best, want, l)
	case "vpn":
		l = g.viaVPN(h, best, dst, want, l)
	case "transit":
		if isTGW(best.target) {
			l = g.viaTransit(h, best, dst, want, l)
			break
		}
		l.undecided = fmt.Sprintf("the route to %s goes to %s: not evaluated", dst, best.target)
	case "internet", "nat", "egress_only":
		open = true
		l.deny = &Denial{Resource: best.hop.Resource, Reason: fmt.Sprintf("the route to %s goes to the internet (%s): a private address is not reachable there", dst, strings.TrimSpace(best.kind+" "+best.target))}
	case "blackhole":
		l.deny = &Denial{Resource: best.hop.Resource, Reason: "the route to " + dst.String() + " is a blackhole (its target was deleted)"}
	default:
		l.undecided = fmt.Sprintf("the route to %s goes to %s %s (a transit gateway, an appliance or another next hop): not evaluated", dst, best.kind, best.target)
	}
	return l
}

// viaPeering follows a peering route.
func (g *Graph) viaPeering(h *host, c *cand, want string, l leg) leg {
	n := g.links.nets[h.net]
	if n == nil {
		l.undecided = "the peerings of " + h.rawNet + " are not in the inventory"
		return l
	}
	for _, p := range n.peerings {
		if p.remote != c.target && p.remote != g.netKey(h.r.Provider, c.target) && !(p.via != nil && g.key(h.r.Provider, c.target) == g.key(p.via.Provider, p.via.ID)) &&
			!(p.via != nil && slices.Contains(p.via.Aliases, c.target)) {
			continue
		}
		if p.up != nil && !*p.up {
			l.deny = &Denial{Resource: p.via.ID, Reason: p.text + " is not active"}
			return l
		}
		l.hops = append(l.hops, resource.Hop{Resource: p.via.ID, Allows: p.text})
		if p.remote != want {
			l.deny = &Denial{Resource: p.via.ID, Reason: "the peering leads to " + display(p.remote) + ", not to the destination's network: peering is not transitive"}
		}
		return l
	}
	l.undecided = "peering " + c.target + " of " + h.rawNet + " is not in the inventory"
	return l
}

// viaVPN follows a route to a VPN gateway or connection: a connection on
// it that routes dst, whose other end (matched by public addresses) is in
// the destination's network.
func (g *Graph) viaVPN(h *host, c *cand, dst netip.Addr, want string, l leg) leg {
	var conns []*resource.Resource
	if t := g.get(h.r, c.target); t != nil && t.Facts.NetworkLink != nil && (t.Facts.NetworkLink.Kind == resource.LinkVPNConnection || t.Facts.NetworkLink.Kind == resource.LinkInterconnect) {
		conns = []*resource.Resource{t}
	} else {
		conns = g.links.conns[g.netKey(h.r.Provider, c.target)]
	}
	if len(conns) == 0 {
		l.undecided = "no VPN connection of " + c.target + " is in the inventory"
		return l
	}
	var why []string
	for _, cn := range conns {
		nl := cn.Facts.NetworkLink
		if nl.Up != nil && !*nl.Up {
			why = append(why, fmt.Sprintf("VPN connection %s is %s", name(cn), cmpOr(nl.State, "down")))
			continue
		}
		if pfs := g.peerPrefixes(cn); !bgp(cn) && len(pfs) > 0 && !slices.ContainsFunc(pfs, func(p netip.Prefix) bool { return p.Contains(dst) }) {
			why = append(why, fmt.Sprintf("VPN connection %s routes %s, not %s", name(cn), prefixesText(pfs), dst))
			continue
		}
		others := g.links.remote[cn]
		if len(others) == 0 {
			l.undecided = fmt.Sprintf("the other end of %s %s (peer %s) is not in the inventory", linkWord(cn), cn.ID, strings.Join(g.peerIPs(cn), ", "))
			if cn.Facts.NetworkLink.Kind == resource.LinkInterconnect {
				l.undecided += ": an on-premises or partner network, whose routes are not known"
			}
			continue
		}
		hops := []resource.Hop{{Resource: cn.ID, Allows: fmt.Sprintf("%s %s to peer %s", hopWord(cn), name(cn), strings.Join(g.peerIPs(cn), ", "))}}
		for _, o := range others {
			oh := resource.Hop{Resource: o.ID, Allows: fmt.Sprintf("%s %s (%s) from peer %s", hopWord(o), name(o), o.Provider, strings.Join(g.peerIPs(o), ", "))}
			if a := g.transitOf(o); a != nil { // the other end is on a transit gateway: its route table decides
				t := g.transitForward(a, dst, want, leg{hops: slices.Concat(l.hops, hops, []resource.Hop{oh}), depth: l.depth})
				switch {
				case t.deny == nil && t.undecided == "":
					return t
				case t.deny != nil:
					why = append(why, t.deny.Reason)
				default:
					l.undecided = t.undecided
				}
				continue
			}
			if !slices.Contains(g.connNetworks(o), want) {
				continue
			}
			l.hops = append(l.hops, hops[0], oh)
			if g.onDXGateway(o) {
				if dh, ok := g.dxHop(o, want); ok {
					l.hops = append(l.hops, dh)
				}
			}
			l.undecided = ""
			return l
		}
		if l.undecided != "" {
			continue
		}
		why = append(why, fmt.Sprintf("the other end of %s %s is not in the destination's network", linkWord(cn), name(cn)))
	}
	if l.undecided == "" {
		l.deny = &Denial{Resource: c.hop.Resource, Reason: strings.Join(why, "; ")}
	}
	return l
}

func prefixesText(pfs []netip.Prefix) string {
	var s []string
	for _, p := range pfs {
		s = append(s, p.String())
	}
	return strings.Join(s, ", ")
}

// vpnPrefixes: what a connection routes to its other end: its static
// ranges, or with BGP the networks behind the other end.
func (g *Graph) vpnPrefixes(cn *resource.Resource) []netip.Prefix {
	out := g.peerPrefixes(cn)
	if bgp(cn) || len(out) == 0 {
		for _, o := range g.links.remote[cn] {
			if a := g.transitOf(o); a != nil {
				out = append(out, g.transitAdvertised(a)...)
				continue
			}
			if g.onDXGateway(o) {
				out = append(out, g.dxAdvertised(o)...)
				continue
			}
			for _, nk := range g.connNetworks(o) {
				if n := g.links.nets[nk]; n != nil {
					out = append(out, n.prefixes...)
				}
			}
		}
	}
	return out
}

// candidates lists the routes in force for h.
func (g *Graph) candidates(h *host) ([]cand, string) {
	var out []cand
	n := g.links.nets[h.net]
	if n == nil {
		n = &netInfo{key: h.net}
	}
	addTables := func(tables []*resource.Resource, user bool) {
		for _, t := range tables {
			for _, rt := range t.Facts.Routing.Routes {
				pf, err := netip.ParsePrefix(rt.Destination)
				if err != nil {
					continue
				}
				txt := "route " + rt.Destination + " -> " + cmpOr(shortURL(rt.Target), rt.NextHop)
				out = append(out, cand{pf: pf.Masked(), kind: rt.NextHop, target: rt.Target, hop: resource.Hop{Resource: t.ID, Allows: txt}, user: user})
			}
		}
	}
	peerings := func() {
		for _, p := range n.peerings {
			pfs := p.prefixes
			if rn := g.links.nets[p.remote]; rn != nil && len(pfs) == 0 {
				pfs = rn.prefixes
			}
			for _, pf := range pfs {
				out = append(out, cand{pf: pf, kind: "peering", target: p.remote, hop: resource.Hop{Resource: p.via.ID, Allows: "peering route " + pf.String() + " -> " + cmpOr(p.remoteID, display(p.remote))}})
			}
		}
	}
	gatewayRoutes := func(dynamicOnly bool, text string) {
		gws := n.gateways
		if hub := g.links.nets[n.hub]; hub != nil {
			gws = append(slices.Clone(gws), hub.gateways...) // the hub's gateway, through the peering
		}
		for _, gw := range gws {
			for _, cn := range g.links.conns[g.netKey(gw.Provider, gw.ID)] {
				if dynamicOnly && !bgp(cn) {
					continue
				}
				h.noteBGP(g, cn)
				for _, pf := range g.vpnPrefixes(cn) {
					out = append(out, cand{pf: pf, kind: "vpn", target: cn.ID, hop: resource.Hop{Resource: gw.ID, Allows: fmt.Sprintf(text, pf, name(cn))}})
				}
			}
		}
	}
	switch h.r.Provider {
	case resource.AWS:
		tables := routing(g.routesFor[g.key(h.r.Provider, h.subnet)], false)
		if len(tables) == 0 {
			tables = routing(g.routesFor[g.key(h.r.Provider, h.rawNet)], true)
		}
		if len(tables) == 0 {
			return nil, fmt.Sprintf("%s: the route table of subnet %s is not in the inventory", h.r.ID, cmpOr(h.subnet, "(unknown)"))
		}
		addTables(tables, false)
		for _, t := range tables {
			if len(t.Facts.Routing.Propagating) > 0 && len(g.links.dx.orphans) > 0 {
				h.unknownDX = g.links.dx.orphans // a propagated VGW may be associated with them
			}
			for _, vgw := range t.Facts.Routing.Propagating {
				for _, cn := range g.links.conns[g.netKey(h.r.Provider, vgw)] {
					h.noteBGP(g, cn)
					for _, pf := range g.vpnPrefixes(cn) {
						out = append(out, cand{pf: pf, kind: "vpn", target: cn.ID, hop: resource.Hop{Resource: t.ID, Allows: fmt.Sprintf("propagated route %s -> %s (%s)", pf, vgw, name(cn))}})
					}
				}
			}
			for _, pf := range n.prefixes {
				out = append(out, cand{pf: pf, kind: "local", hop: resource.Hop{Resource: t.ID, Allows: "route " + pf.String() + " -> local"}})
			}
		}
	case resource.GCP:
		var tables []*resource.Resource
		for _, t := range routing(g.routesFor[g.key(h.r.Provider, h.rawNet)], false) {
			if rt := t.Facts.Routing.Routes; len(rt) > 0 && len(rt[0].Tags) > 0 && !slices.ContainsFunc(rt[0].Tags, func(s string) bool { return slices.Contains(h.tags, s) }) {
				continue
			}
			tables = append(tables, t)
		}
		if len(tables) == 0 {
			return nil, fmt.Sprintf("%s: the routes of network %s are not in the inventory", h.r.ID, h.rawNet)
		}
		addTables(tables, false)
		for _, pf := range n.prefixes {
			out = append(out, cand{pf: pf, kind: "local", hop: resource.Hop{Resource: h.rawNet, Allows: "subnet route " + pf.String()}})
		}
		peerings()
		gatewayRoutes(true, "dynamic route %s learned over BGP by the Cloud Router of %s")
	case resource.Azure:
		for _, pf := range n.prefixes {
			out = append(out, cand{pf: pf, kind: "local", hop: resource.Hop{Resource: h.subnet, Allows: "system route " + pf.String() + " -> VirtualNetwork"}})
		}
		out = append(out, cand{pf: anyV4, kind: "internet", hop: resource.Hop{Resource: h.subnet, Allows: "system route 0.0.0.0/0 -> Internet"}})
		peerings()
		gatewayRoutes(false, "virtual network gateway route %s -> connection %s")
		addTables(routing(g.routesFor[g.key(h.r.Provider, h.subnet)], false), true)
	}
	return out, ""
}

// display is the ID part of a key.
func display(k string) string {
	_, id, _ := strings.Cut(k, "|")
	return id
}

// shortURL names a GCP next hop by its kind and name (vpnTunnels/t1)
// rather than its API URL.
func shortURL(s string) string {
	if !strings.HasPrefix(s, "https://") {
		return s
	}
	parts := strings.Split(s, "/")
	if len(parts) < 2 {
		return s
	}
	return parts[len(parts)-2] + "/" + parts[len(parts)-1]
}

// noteBGP records a BGP link of h's routes whose other end is not in the
// inventory: what it advertises is not known.
func (h *host) noteBGP(g *Graph, cn *resource.Resource) {
	if !bgp(cn) {
		return
	}
	for _, o := range g.links.remote[cn] {
		if gw := o.Facts.NetworkLink.Gateway; g.dxOrphan(o) && !slices.Contains(h.unknownDX, gw) {
			h.unknownDX = append(h.unknownDX, gw)
		}
	}
	if len(g.links.remote[cn]) > 0 || g.transitOf(cn) != nil {
		return
	}
	if nl := cn.Facts.NetworkLink; nl.Up != nil && !*nl.Up {
		return
	}
	if n := name(cn); !slices.Contains(h.unknownBGP, n) {
		h.unknownBGP = append(h.unknownBGP, n)
	}
}
