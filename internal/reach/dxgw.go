package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// AWS Direct Connect gateways: a private virtual interface on a Direct
// Connect gateway reaches the VPCs of the virtual private gateways the
// gateway is associated with (describe-direct-connect-gateway-associations):
// those VGWs learn the interface's routes (propagated into the route
// tables that propagate them), and the other end learns each VPC range an
// allowed prefix of the association covers (same or wider: the allowed
// list filters the VPC ranges; a narrower prefix advertises nothing). The
// VPCs of one Direct Connect gateway do not reach each other through it.
// A transit virtual interface reaches a transit gateway through its
// Direct Connect gateway attachment (transit.go). An interface on a
// Direct Connect gateway whose associations are not in the inventory
// leaves what it links unknown: a route it might add is undecided.

// dxIndex holds the Direct Connect gateways' associations.
type dxIndex struct {
	// assoc: Direct Connect gateway key → its associations.
	assoc map[string][]*resource.Resource
	// orphans: the Direct Connect gateways with interfaces on them and no
	// association (nor transit gateway attachment) in the inventory.
	orphans []string
}

// indexDX completes g.links with the Direct Connect gateways: each VGW
// associated with one carries the interfaces on it.
func (g *Graph) indexDX(assocs []*resource.Resource) {
	d := &dxIndex{assoc: map[string][]*resource.Resource{}}
	g.links.dx = d
	for _, a := range assocs {
		k := g.netKey(resource.AWS, a.Facts.NetworkLink.Gateway)
		d.assoc[k] = append(d.assoc[k], a)
	}
	for _, a := range assocs {
		l := a.Facts.NetworkLink
		if l.AttachedType != "vgw" || (l.Up != nil && !*l.Up) {
			continue
		}
		vk := g.netKey(resource.AWS, l.Attached)
		for _, c := range g.links.conns[g.netKey(resource.AWS, l.Gateway)] {
			if !slices.Contains(g.links.conns[vk], c) {
				g.links.conns[vk] = append(g.links.conns[vk], c)
			}
		}
	}
	for k, cs := range g.links.conns {
		for _, c := range cs {
			if g.dxOrphan(c) && !slices.Contains(d.orphans, display(k)) {
				d.orphans = append(d.orphans, display(k))
			}
		}
	}
	slices.Sort(d.orphans)
}

// onDXGateway: c is an AWS Direct Connect interface on a Direct Connect
// gateway (not directly on a VGW).
func (g *Graph) onDXGateway(c *resource.Resource) bool {
	l := c.Facts.NetworkLink
	return c.Provider == resource.AWS && l.Kind == resource.LinkInterconnect && l.Gateway != "" && !strings.HasPrefix(l.Gateway, "vgw-") && g.gateway(c) == nil
}

// dxOrphan: c is on a Direct Connect gateway of which nothing it links is
// in the inventory (no association, no transit gateway attachment).
func (g *Graph) dxOrphan(c *resource.Resource) bool {
	if !g.onDXGateway(c) || g.transitOf(c) != nil {
		return false
	}
	assocs := g.links.dx.assoc[g.netKey(resource.AWS, c.Facts.NetworkLink.Gateway)]
	for _, a := range assocs {
		// Associated with a transit gateway whose attachment of the
		// Direct Connect gateway is not in the inventory.
		if l := a.Facts.NetworkLink; l.AttachedType == "tgw" && (l.Up == nil || *l.Up) {
			return true
		}
	}
	return len(assocs) == 0
}

// dxWhy is the reason a route over an orphan Direct Connect gateway is
// undecided.
func dxWhy(gws []string) string {
	return fmt.Sprintf("Direct Connect gateway %s, whose associations (aws directconnect describe-direct-connect-gateway-associations) or transit gateway attachment (aws ec2 describe-transit-gateway-attachments) are not in the inventory", strings.Join(gws, ", "))
}

// dxAssociations: the associations of c's Direct Connect gateway that
// carry traffic to a VGW.
func (g *Graph) dxAssociations(c *resource.Resource) []*resource.Resource {
	var out []*resource.Resource
	for _, a := range g.links.dx.assoc[g.netKey(resource.AWS, c.Facts.NetworkLink.Gateway)] {
		if l := a.Facts.NetworkLink; l.AttachedType == "vgw" && (l.Up == nil || *l.Up) {
			out = append(out, a)
		}
	}
	return out
}

// vgwNetworks: the networks of the VGW an association names.
func (g *Graph) vgwNetworks(a *resource.Resource) []string {
	vgw := g.get(a, a.Facts.NetworkLink.Attached)
	if vgw == nil || vgw.Facts.NetworkLink == nil {
		return nil
	}
	var out []string
	for _, n := range vgw.Facts.NetworkLink.Networks {
		out = append(out, g.netKey(vgw.Provider, n))
	}
	return out
}

// dxNetworks: the networks a Direct Connect interface on a gateway
// reaches (the VPCs of its associated VGWs), with the association that
// leads to each.
func (g *Graph) dxNetworks(c *resource.Resource) (nets []string, via []*resource.Resource) {
	for _, a := range g.dxAssociations(c) {
		for _, n := range g.vgwNetworks(a) {
			nets, via = append(nets, n), append(via, a)
		}
	}
	return nets, via
}

// dxAdvertised: the ranges the other end of c learns: each VPC range an
// allowed prefix of its association covers (all of them when the
// association lists none).
func (g *Graph) dxAdvertised(c *resource.Resource) []netip.Prefix {
	var out []netip.Prefix
	nets, via := g.dxNetworks(c)
	for i, nk := range nets {
		n := g.links.nets[nk]
		if n == nil {
			continue
		}
		own := n.prefixes // the VPC's own ranges, not its subnets'
		if n.r != nil && n.r.Facts.Addressing != nil {
			own = prefixes(n.r.Facts.Addressing.Prefixes)
		}
		allowed := prefixes(via[i].Facts.NetworkLink.Prefixes)
		for _, p := range own {
			if len(allowed) == 0 || slices.ContainsFunc(allowed, func(a netip.Prefix) bool { return a.Bits() <= p.Bits() && a.Contains(p.Addr()) }) {
				out = append(out, p)
			}
		}
	}
	return out
}

// dxHop names the association an interface on a Direct Connect gateway
// reaches network want through (ok false: none).
func (g *Graph) dxHop(c *resource.Resource, want string) (resource.Hop, bool) {
	nets, via := g.dxNetworks(c)
	for i, nk := range nets {
		if nk != want {
			continue
		}
		l := via[i].Facts.NetworkLink
		txt := fmt.Sprintf("Direct Connect gateway %s associated with %s", l.Gateway, l.Attached)
		if len(l.Prefixes) > 0 {
			txt += " (allowed " + strings.Join(l.Prefixes, ", ") + ")"
		}
		return resource.Hop{Resource: via[i].ID, Allows: txt}, true
	}
	return resource.Hop{}, false
}
