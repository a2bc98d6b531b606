package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// CloudFront distributions and API gateways fronting their origins: a
// public front forwards what it receives from the internet on a viewer
// port to each origin (resource.Origin) on the origin's port, so the
// origin is reachable from the internet through it, the front named as
// the first hop:
//
//   - an origin that is not on a network (an S3 bucket) is reached
//     through the front alone;
//   - a load balancer origin must be internet-facing and let the origin
//     port in (its own exposure on that port); an internal one (a
//     CloudFront VPC origin) is undecided;
//   - an instance origin (its public DNS name) must be reachable from the
//     internet on the origin port (public IP, route to the internet
//     gateway, network ACL, security groups).
//
// The front connects from its own public addresses (CloudFront's edge
// ranges): a rule for the whole internet admits it; a prefix list (such
// as CloudFront's origin-facing list) or a narrower public range is
// undecided, as whether it covers the edge addresses is not evaluated.

// front is one origin of a front, indexed by the origin's key.
type front struct {
	r *resource.Resource
	resource.Origin
	// listener: the load balancer listener a private integration (an API
	// Gateway VPC link) names; the origin is its load balancer, reached
	// from inside its VPC on the listener's port.
	listener *resource.Resource
}

// indexFronts resolves the fronts' origins (by ID or alias, else by host
// name) into g.frontedBy.
func (g *Graph) indexFronts(rs []*resource.Resource) {
	byHost := map[string]*resource.Resource{}
	for _, r := range rs {
		if a := r.Facts.Addressing; a != nil {
			for _, h := range a.HostNames {
				byHost[strings.ToLower(h)] = r
			}
		}
	}
	for _, r := range rs {
		var origins []resource.Origin
		switch {
		case r.Facts.CDN != nil:
			origins = r.Facts.CDN.Origins
		case r.Facts.APIGateway != nil:
			origins = r.Facts.APIGateway.Origins
		}
		for _, o := range origins {
			t := g.find(r.Provider, o.Target)
			if t == nil {
				t = byHost[strings.ToLower(o.Target)]
			}
			if arn, ok := lambdaARN(o.Target); t == nil && ok {
				t = g.find(r.Provider, arn)
			}
			if t == nil {
				continue // an origin outside the inventory
			}
			var ls *resource.Resource
			if lb := g.listenerOf(t); lb != nil {
				ls, t = t, lb
				if !isVPCLink(ls) {
					o.Port = listenerPort(ls) // a REST API's VPC link: the integration's port
				}
			}
			k := g.key(t.Provider, t.ID)
			g.frontedBy[k] = append(g.frontedBy[k], front{r, o, ls})
		}
	}
}

func frontWord(r *resource.Resource) string {
	if r.Facts.CDN != nil {
		return "CloudFront distribution"
	}
	return "API gateway"
}

// viaFront: t is an origin of f.
func (g *Graph) viaFront(t *resource.Resource, f front, a *answer) {
	if !g.frontPublic(t.ID, f, a) {
		return
	}
	if f.listener != nil {
		a.paths = append(a.paths, g.linkPaths(t, f, a)...)
		return
	}
	hop := resource.Hop{Resource: f.r.ID, Allows: fmt.Sprintf("%s %s on port %d forwards to origin %s on port %d", frontWord(f.r), name(f.r), f.ViewerPort, cmpOr(f.Via, f.Target), f.Port)}
	add := func(hops []resource.Hop) {
		a.paths = append(a.paths, resource.ExposurePath{Protocol: "tcp", Family: "ipv4", FromPort: f.ViewerPort, ToPort: f.ViewerPort, Hops: hops})
		a.decided = true
	}
	switch {
	case t.Facts.LoadBalancer != nil:
		lb := t.Facts.LoadBalancer
		if lb.Public != nil && !*lb.Public {
			a.unknown("%s: an internal load balancer as the origin of %s (a CloudFront VPC origin): not evaluated", t.ID, f.r.ID)
			return
		}
		lbx := g.ownExposure(t)
		for _, p := range lbx.Paths {
			if p.Protocol == "tcp" && p.FromPort <= f.Port && f.Port <= p.ToPort && len(p.Hops) > 0 && !strings.HasPrefix(p.Hops[0].Allows, frontWord(f.r)) {
				add(append([]resource.Hop{hop}, p.Hops...))
				return
			}
		}
		if lbx.Internet == nil {
			a.unknown("%s: the origin of %s, its exposure is undecided", t.ID, f.r.ID)
			return
		}
		sgs, _ := g.firewalls(t, g.attached(t.Provider, t, t.ID), false)
		if why := prefixListOn(sgs, f.Port); why != "" {
			a.unknown("%s: the origin of %s on port %d: %s", t.ID, f.r.ID, f.Port, why)
			return
		}
		a.decided = true
	case t.Facts.Compute != nil:
		res := &PathResult{}
		h := g.host(t)
		switch {
		case h.public != nil && !*h.public:
			a.decided = true
			return
		case len(filterReasons(h)) > 0:
			a.undecided = append(a.undecided, filterReasons(h)...)
			return
		case h.public == nil:
			a.unknown("%s: the origin of %s, whether it has a public IP is not in the inventory", t.ID, f.r.ID)
			return
		}
		g.indexLinks()
		back := g.route(h, netip.Addr{}, "")
		if back.undecided != "" {
			a.unknown("%s: the origin of %s: %s", t.ID, f.r.ID, back.undecided)
			return
		}
		if back.deny != nil {
			a.decided = true
			return
		}
		pre := slices.Concat([]resource.Hop{hop, {Resource: t.ID, Allows: "public IP"}}, back.hops)
		filter(res, Query{Protocol: "tcp", FromPort: f.Port, ToPort: f.Port}, pre, nil, peer{}, nil, h.in, peer{internet: true, front: true}, nil)
		switch res.Verdict {
		case Reachable:
			for _, p := range res.Paths {
				add(p.Hops)
			}
		case Undecided:
			for _, u := range res.Undecided {
				a.unknown("%s: behind %s: %s", t.ID, f.r.ID, u)
			}
		default:
			a.decided = true
		}
	default: // not on a network: an S3 bucket
		add([]resource.Hop{hop})
	}
}

// prefixListOn: why an allow rule of fws on port from a prefix list
// leaves the way from a front undecided ("" when none).
func prefixListOn(fws []*resource.Resource, port int) string {
	for _, fw := range fws {
		for _, rl := range fw.Facts.Firewall.Rules {
			if rl.Direction != "ingress" || rl.Action != "allow" || (rl.Protocol != "tcp" && rl.Protocol != "all") || port < rl.FromPort || port > rl.ToPort {
				continue
			}
			for _, s := range rl.Sources {
				if strings.HasPrefix(strings.ToLower(s), "pl-") {
					return fmt.Sprintf("%s admits prefix list %s (CloudFront's origin-facing list?): not evaluated", name(fw), s)
				}
			}
		}
	}
	return ""
}

// ownExposure: a load balancer's exposure from the internet, without the
// fronts forwarding to it (computed once; no recursion through them).
func (g *Graph) ownExposure(r *resource.Resource) *resource.Exposure {
	if x := g.lbExposure[r]; x != nil {
		return x
	}
	// While it is computed: load balancers forwarding to each other in a
	// cycle end here.
	g.lbExposure[r] = &resource.Exposure{Undecided: []string{r.ID + ": load balancers forward to each other in a cycle: not followed"}}
	g.skipFronts++
	x := g.Exposure(r)
	g.skipFronts--
	g.lbExposure[r] = x
	return x
}

// frontPublic: whether front f of origin is public (false: a private API, decided,
// or unknown, noted in a).
func (g *Graph) frontPublic(origin string, f front, a *answer) bool {
	ag := f.r.Facts.APIGateway
	if ag == nil {
		return true
	}
	// An API's endpoint type is on its Config item, its integrations in
	// the CLI's output: the importer makes them one resource.
	p := ag.Public
	switch {
	case p == nil:
		a.unknown("%s: behind %s, whether that API is public (its endpoint type) is not in the inventory", origin, f.r.ID)
		return false
	case !*p:
		a.decided = true // a private API: not reachable from the internet
		return false
	}
	return true
}
