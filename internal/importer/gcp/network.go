package gcp

import (
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeRoute is a VPC route, read for reachability (internal/reach): kept
// as class other with its Routing facts, related to its network.
const TypeRoute = "compute.googleapis.com/Route"

func init() { normalizers[TypeRoute] = route }

// route: a compute.googleapis.com/Route asset (the Compute Engine Route
// shape: destRange, network, nextHop*, tags).
func route(_ *file, r *resource.Resource, d, _ node) {
	if !d.present() {
		return
	}
	before := d.c.count()
	rt := resource.Route{Destination: d.s("destRange")}
	rt.NextHop, rt.Target = routeHop(d)
	rt.Tags, _ = d.strs("tags")
	if d.c.count() == before && rt.Destination != "" {
		r.Facts.Routing = &resource.Routing{Routes: []resource.Route{rt}}
	}
	attr.Relate(r, resource.RelRoutesFor, d.s("network"))
	attr.Relate(r, resource.RelInNetwork, d.s("network"))
}

// routeHop names the kind of a route's next hop and its target.
func routeHop(d node) (hop, target string) {
	if gw := d.s("nextHopGateway"); gw != "" {
		if strings.HasSuffix(gw, "/default-internet-gateway") {
			return "internet", gw
		}
		return "other", gw
	}
	for _, k := range []struct{ key, hop string }{
		{"nextHopPeering", "peering"}, {"nextHopVpnTunnel", "vpn"}, {"nextHopInstance", "instance"},
		{"nextHopIlb", "instance"}, {"nextHopIp", "instance"}, {"nextHopNetwork", "local"}, {"nextHopHub", "transit"},
	} {
		if t := d.s(k.key); t != "" {
			return k.hop, t
		}
	}
	return "other", ""
}
