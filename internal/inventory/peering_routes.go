package inventory

import (
	"fmt"
	"net/netip"
	"sort"

	"github.com/vigil-sec/vigil/internal/resource"
)

// awsRouteTable is the AWS Config type of a VPC route table.
const awsRouteTable = "AWS::EC2::RouteTable"

// peeringRoutes sets each AWS VPC's PeeringRoutesLeastAccess (CIS AWS 7.0
// 6.6) from the route tables in it: a route to a VPC peering connection
// whose destination is every address or covers a whole CIDR block of the
// peer VPC (as the peering connection records it, else as the peer VPC's
// own item does) is not least access. A VPC whose tables are all read and
// whose peering routes are all narrower is; one with a table that could
// not be read, or a peering route whose peer ranges the inventory lacks,
// is unknown unless another route already fails it.
func (d *deriver) peeringRoutes() {
	type verdict struct {
		tables, unknown bool
		broad           []string
	}
	byVPC := map[*resource.Resource]*verdict{}
	for _, rt := range d.all {
		if rt.Provider != resource.AWS || rt.Type != awsRouteTable {
			continue
		}
		for _, t := range targets(rt, resource.RelInNetwork) {
			n := d.resolve(rt, t)
			if n == nil || n.Class != resource.ClassNetwork || n.Facts.Network == nil {
				continue
			}
			v := byVPC[n]
			if v == nil {
				v = &verdict{}
				byVPC[n] = v
			}
			v.tables = true
			if rt.Facts.Routing == nil || d.doubtful(rt) {
				v.unknown = true
				continue
			}
			for _, ro := range rt.Facts.Routing.Routes {
				if ro.NextHop != "peering" {
					continue
				}
				broad, known := d.broadPeeringRoute(rt, n, ro)
				switch {
				case broad:
					v.broad = append(v.broad, fmt.Sprintf("%s: %s -> %s", rt.Name, ro.Destination, ro.Target))
				case !known:
					v.unknown = true
				}
			}
		}
	}
	for n, v := range byVPC {
		nf := n.Facts.Network
		switch {
		case len(v.broad) > 0:
			sort.Strings(v.broad)
			nf.PeeringRoutesLeastAccess, nf.PeeringBroadRoutes = resource.Bool(false), v.broad
		case !v.unknown:
			nf.PeeringRoutesLeastAccess = resource.Bool(true)
		}
	}
}

// broadPeeringRoute tells whether a route of a table of VPC n to a peering
// connection sends every address or a range covering a whole CIDR block of
// the peer VPC, and whether that is known.
func (d *deriver) broadPeeringRoute(rt, n *resource.Resource, ro resource.Route) (broad, known bool) {
	dst, err := netip.ParsePrefix(ro.Destination)
	if err != nil {
		return false, false
	}
	dst = dst.Masked()
	if dst.Bits() == 0 {
		return true, true // 0.0.0.0/0 or ::/0: everything the peer reaches
	}
	peer := d.peerPrefixes(rt, n, ro.Target)
	if peer == nil {
		return false, false
	}
	for _, p := range peer {
		pp, err := netip.ParsePrefix(p)
		if err != nil {
			return false, false
		}
		if pp.Addr().Is4() == dst.Addr().Is4() && dst.Bits() <= pp.Bits() && dst.Contains(pp.Addr()) {
			return true, true
		}
	}
	return false, true
}

// peerPrefixes returns the CIDR blocks of the VPC at the other end of the
// peering connection pcx from n: as the connection records them, else
// the peer VPC's own; nil when the inventory holds neither.
func (d *deriver) peerPrefixes(rt, n *resource.Resource, pcx string) []string {
	link := d.resolve(rt, pcx)
	if link == nil || link.Facts.NetworkLink == nil || link.Facts.NetworkLink.Kind != resource.LinkPeering {
		return nil
	}
	l := link.Facts.NetworkLink
	if len(l.Networks) != 2 {
		return nil
	}
	other := -1
	for i, id := range l.Networks {
		if d.resolve(link, id) == n || id == n.ID {
			other = 1 - i
		}
	}
	if other < 0 {
		return nil
	}
	if len(l.NetworkPrefixes) == 2 && len(l.NetworkPrefixes[other]) > 0 {
		return l.NetworkPrefixes[other]
	}
	if pv := d.resolve(link, l.Networks[other]); pv != nil && pv.Facts.Addressing != nil && len(pv.Facts.Addressing.Prefixes) > 0 {
		return pv.Facts.Addressing.Prefixes
	}
	return nil
}
