package reach

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// AWS transit gateways: a VPC route to tgw-... enters the transit gateway
// through the VPC's attachment; the route table the attachment is
// associated with picks the attachment the destination leaves by (longest
// prefix): a VPC attachment (the destination's network, or a denial), a
// VPN attachment (its VPN connection, followed like a VGW's), a peering
// attachment (the peer transit gateway, whose route table associated with
// the same attachment decides next), a Direct Connect gateway attachment
// (its virtual interfaces). Everything the inventory lacks (an
// attachment, its association, a route table's routes) is undecided.

// maxTransit bounds the transit gateways crossed in one path (peering
// cycles cannot loop).
const maxTransit = 4

// tgwAtt is one transit gateway attachment, as one of its gateways sees it.
type tgwAtt struct {
	id, tgw    string // attachment ID, transit gateway key
	tgwID      string // the transit gateway as the attachment names it
	r          *resource.Resource
	typ        string // vpc, vpn, peering, direct-connect-gateway, connect
	attached   string // the attached resource, as the attachment names it
	net        string // network key (VPC attachments)
	routeTable string // "" unknown, "none" associated with no table
	up         *bool
	state      string
}

// transitIndex holds the attachments and route tables of transit gateways.
type transitIndex struct {
	atts map[string]*tgwAtt // tgw key|attachment ID
	// vpcAtt: tgw key|network key → the VPC's attachment.
	vpcAtt map[string]*tgwAtt
	// byAttached: the key of an attached VPN connection or Direct
	// Connect gateway → its attachments.
	byAttached map[string][]*tgwAtt
	// tables: route table ID → the route table (the one with routes).
	tables map[string]*resource.Resource
	// nets: tgw key → the networks of its VPC attachments.
	nets map[string][]string
}

// shortID is r's ID of the given kind (tgw-attach-, tgw-rtb-): an alias,
// or the part of its ARN after "/".
func shortID(r *resource.Resource, prefix string) string {
	for _, a := range r.Aliases {
		if strings.HasPrefix(a, prefix) {
			return a
		}
	}
	if i := strings.Index(r.ID, "/"+prefix); i >= 0 {
		s := r.ID[i+1:]
		s, _, _ = strings.Cut(s, "/")
		return s
	}
	if strings.HasPrefix(r.ID, prefix) {
		return r.ID
	}
	return ""
}

// indexTransit fills g.links.transit from the attachments and route tables.
func (g *Graph) indexTransit() {
	t := &transitIndex{atts: map[string]*tgwAtt{}, vpcAtt: map[string]*tgwAtt{}, byAttached: map[string][]*tgwAtt{},
		tables: map[string]*resource.Resource{}, nets: map[string][]string{}}
	g.links.transit = t
	for _, r := range g.all {
		if r.Provider != resource.AWS {
			continue
		}
		if r.Facts.Routing != nil || strings.Contains(r.Type, "TransitGatewayRouteTable") {
			if id := shortID(r, "tgw-rtb-"); id != "" {
				if old := t.tables[id]; old == nil || (old.Facts.Routing == nil && r.Facts.Routing != nil) {
					t.tables[id] = r
				}
			}
		}
		l := r.Facts.NetworkLink
		if l == nil || l.Kind != resource.LinkTransitAttachment || l.Gateway == "" {
			continue
		}
		id := shortID(r, "tgw-attach-")
		if id == "" {
			continue
		}
		tgw := g.netKey(resource.AWS, l.Gateway)
		k := tgw + "|" + id
		a := t.atts[k]
		if a == nil {
			a = &tgwAtt{id: id, tgw: tgw, tgwID: l.Gateway, r: r}
			t.atts[k] = a
		}
		// The same attachment from two sources (Config, the CLI): each
		// completes what the other left unknown.
		a.typ, a.attached, a.routeTable, a.state = cmpOr(a.typ, l.AttachedType), cmpOr(a.attached, l.Attached), cmpOr(a.routeTable, l.RouteTable), cmpOr(a.state, l.State)
		if a.up == nil {
			a.up = l.Up
		}
		if a.r.Facts.NetworkLink.RouteTable == "" && l.RouteTable != "" {
			a.r = r // name the attachment by the record that routes it
		}
	}
	for _, a := range t.atts {
		switch a.typ {
		case "vpc":
			a.net = g.netKey(resource.AWS, a.attached)
			t.vpcAtt[a.tgw+"|"+a.net] = a
			t.nets[a.tgw] = append(t.nets[a.tgw], a.net)
		case "vpn", "direct-connect-gateway":
			k := g.netKey(resource.AWS, a.attached)
			t.byAttached[k] = append(t.byAttached[k], a)
		}
	}
}

// isTGW: id names a transit gateway.
func isTGW(id string) bool {
	if i := strings.LastIndex(id, "/"); i >= 0 {
		id = id[i+1:]
	}
	return strings.HasPrefix(id, "tgw-") && !strings.HasPrefix(id, "tgw-attach-") && !strings.HasPrefix(id, "tgw-rtb-")
}

// attText names an attachment and what it attaches.
func (a *tgwAtt) text() string {
	return fmt.Sprintf("%s (%s %s)", a.id, cmpOr(a.typ, "attachment"), cmpOr(a.attached, "?"))
}

// viaTransit follows a VPC route to a transit gateway.
func (g *Graph) viaTransit(h *host, c *cand, dst netip.Addr, want string, l leg) leg {
	t := g.links.transit
	tgw := g.netKey(resource.AWS, c.target)
	a := t.vpcAtt[tgw+"|"+h.net]
	if a == nil {
		l.undecided = fmt.Sprintf("the attachment of %s to transit gateway %s is not in the inventory", h.rawNet, c.target)
		return l
	}
	return g.transitForward(a, dst, want, l)
}

// transitForward: traffic to dst entering transit gateway a.tgw through
// attachment a, bound for network want.
func (g *Graph) transitForward(a *tgwAtt, dst netip.Addr, want string, l leg) leg {
	if l.depth >= maxTransit {
		l.undecided = fmt.Sprintf("the path to %s crosses more than %d transit gateways: not followed", dst, maxTransit)
		return l
	}
	l.depth++
	if a.up != nil && !*a.up {
		l.deny = &Denial{Resource: a.r.ID, Reason: fmt.Sprintf("transit gateway attachment %s is %s", a.text(), cmpOr(a.state, "not available"))}
		return l
	}
	tgw := a.tgwID
	switch a.routeTable {
	case "":
		l.undecided = fmt.Sprintf("the transit gateway route table attachment %s of %s is associated with is not in the inventory (aws ec2 describe-transit-gateway-attachments)", a.id, tgw)
		return l
	case "none":
		l.deny = &Denial{Resource: a.r.ID, Reason: fmt.Sprintf("transit gateway attachment %s is associated with no route table: %s routes nothing from it", a.text(), tgw)}
		return l
	}
	l.hops = append(l.hops, resource.Hop{Resource: a.r.ID, Allows: fmt.Sprintf("transit gateway %s from attachment %s, route table %s", tgw, a.text(), a.routeTable)})
	tbl := g.links.transit.tables[a.routeTable]
	if tbl == nil || tbl.Facts.Routing == nil {
		l.undecided = fmt.Sprintf("the routes of transit gateway route table %s (%s) are not in the inventory (aws ec2 search-transit-gateway-routes, complete)", a.routeTable, tgw)
		return l
	}
	var best *resource.Route
	var bestPf netip.Prefix
	for i, rt := range tbl.Facts.Routing.Routes {
		pf, err := netip.ParsePrefix(rt.Destination)
		if err != nil || !pf.Masked().Contains(dst) {
			continue
		}
		if best == nil || pf.Bits() > bestPf.Bits() {
			best, bestPf = &tbl.Facts.Routing.Routes[i], pf
		}
	}
	if best == nil {
		l.deny = &Denial{Resource: tbl.ID, Reason: fmt.Sprintf("no route to %s in transit gateway route table %s", dst, a.routeTable)}
		return l
	}
	if best.NextHop == "blackhole" || best.Target == "" {
		l.deny = &Denial{Resource: tbl.ID, Reason: fmt.Sprintf("the route to %s in transit gateway route table %s is a blackhole", dst, a.routeTable)}
		return l
	}
	next := g.links.transit.atts[a.tgw+"|"+best.Target]
	if next == nil {
		l.undecided = fmt.Sprintf("transit gateway attachment %s (route %s in %s) is not in the inventory", best.Target, best.Destination, a.routeTable)
		return l
	}
	hop := resource.Hop{Resource: tbl.ID, Allows: fmt.Sprintf("route %s -> %s", best.Destination, next.text())}
	l.hops = append(l.hops, hop)
	if next.up != nil && !*next.up {
		l.deny = &Denial{Resource: next.r.ID, Reason: fmt.Sprintf("transit gateway attachment %s is %s", next.text(), cmpOr(next.state, "not available"))}
		return l
	}
	switch next.typ {
	case "vpc":
		if next.net != want {
			l.deny = &Denial{Resource: tbl.ID, Reason: fmt.Sprintf("the transit gateway route to %s leads to %s, not to the destination's network", dst, next.attached)}
		}
		return l
	case "vpn", "direct-connect-gateway":
		return g.viaVPN(&host{r: &resource.Resource{Provider: resource.AWS}}, &cand{target: next.attached, hop: hop}, dst, want, l)
	case "peering", "tgw-peering":
		peer := g.links.transit.atts[g.netKey(resource.AWS, next.attached)+"|"+next.id]
		if peer == nil {
			l.undecided = fmt.Sprintf("the other side of peering attachment %s (transit gateway %s) is not in the inventory", next.id, next.attached)
			return l
		}
		return g.transitForward(peer, dst, want, l)
	}
	l.undecided = fmt.Sprintf("transit gateway attachment %s: %s attachments are not evaluated", next.text(), cmpOr(next.typ, "unknown"))
	return l
}

// transitOf: the attachment of a VPN connection or Direct Connect
// interface that terminates on a transit gateway (directly, or through a
// Direct Connect gateway attached to one), nil otherwise.
func (g *Graph) transitOf(c *resource.Resource) *tgwAtt {
	t := g.links.transit
	l := c.Facts.NetworkLink
	if l.Kind == resource.LinkVPNConnection && isTGW(l.Gateway) {
		for _, a := range t.byAttached[g.key(resource.AWS, c.ID)] {
			return a
		}
		for _, al := range c.Aliases {
			for _, a := range t.byAttached[g.key(resource.AWS, al)] {
				return a
			}
		}
		return nil
	}
	if l.Kind == resource.LinkInterconnect && l.Gateway != "" {
		for _, a := range t.byAttached[g.netKey(resource.AWS, l.Gateway)] {
			return a
		}
	}
	return nil
}

// transitAdvertised: the ranges a transit gateway advertises over the
// attachment of connection c: the destinations of the route table it is
// associated with; when those are not in the inventory, the ranges of
// the VPCs attached to the gateway (taken as advertised, as the networks
// behind a VPN's matched end are).
func (g *Graph) transitAdvertised(a *tgwAtt) []netip.Prefix {
	if tbl := g.links.transit.tables[a.routeTable]; tbl != nil && tbl.Facts.Routing != nil {
		var out []netip.Prefix
		for _, rt := range tbl.Facts.Routing.Routes {
			if rt.NextHop != "blackhole" && rt.Target != a.id {
				out = append(out, prefixes([]string{rt.Destination})...)
			}
		}
		return out
	}
	var out []netip.Prefix
	for _, nk := range g.links.transit.nets[a.tgw] {
		if n := g.links.nets[nk]; n != nil {
			out = append(out, n.prefixes...)
		}
	}
	return out
}
