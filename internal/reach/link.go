package reach

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Private integrations: an API Gateway HTTP API integration through a
// VPC link names a load balancer listener (its ARN); the API forwards what
// it receives on its port (443) to that listener from the VPC link's
// addresses inside the load balancer's VPC. An internal load balancer is
// then reachable from the internet through the API on the API's port, and
// so are the listener's targets (on the API's port only), when the load
// balancer's security groups admit the VPC link (a rule covering the
// whole VPC range, or the internet; a rule naming a security group is
// undecided, the VPC link's groups not being in the inventory) and the
// targets' filters admit what the load balancer sends them (a pass-through
// NLB's targets see the VPC link's address, in the VPC).

// RelListenerPort: a load balancer listener's own record → its port (the
// decimal number as the target ID), so that an integration naming the
// listener reaches its load balancer on that port.
const RelListenerPort = "listener_port"

// RelVPCLinkTarget: a REST API VPC link's record → the network load
// balancer it sends to (get-vpc-links targetArns).
const RelVPCLinkTarget = "vpc_link_target"

// isVPCLink: r is a REST API VPC link's record (the integration's port is
// its own, the NLB must listen on it).
func isVPCLink(r *resource.Resource) bool { return strings.HasSuffix(r.Type, "::VpcLink") }

// listenerOf: the load balancer of listener or VPC link record r (nil
// when r is neither or its load balancer is not in the inventory).
func (g *Graph) listenerOf(r *resource.Resource) *resource.Resource {
	var id string
	switch {
	case r.Facts.LoadBalancer != nil:
		return nil
	case strings.HasSuffix(r.Type, "::Listener"):
		id = first(targets(r, "listener_of"))
	case isVPCLink(r):
		id = first(targets(r, RelVPCLinkTarget))
	default:
		return nil
	}
	lb := g.get(r, id)
	if lb == nil || lb.Facts.LoadBalancer == nil {
		return nil
	}
	return lb
}

// listenerPort: the port of listener record r, 0 when not known.
func listenerPort(r *resource.Resource) int {
	p, err := strconv.Atoi(first(targets(r, RelListenerPort)))
	if err != nil || p <= 0 || p > 65535 {
		return 0
	}
	return p
}

// linkListener: the listener of lb on port (its protocol), a TCP one when
// the load balancer's listeners do not say.
func linkListener(lb *resource.Resource, port int) resource.Listener {
	for _, ls := range lb.Facts.LoadBalancer.Listeners {
		if ls.Port == port {
			return ls
		}
	}
	return resource.Listener{Protocol: "TCP", Port: port}
}

// linkPeer is the VPC link as the source lb sees: an address of lb's VPC,
// with security groups not in the inventory.
func (g *Graph) linkPeer(lb, api *resource.Resource, via string) peer {
	g.indexLinks()
	pr := peer{h: &host{r: api}, sgUnknown: "the security groups of " + cmpOr(via, "the VPC link") + " are not in the inventory"}
	if n := g.links.nets[g.netKey(lb.Provider, first(targets(lb, resource.RelInNetwork)))]; n != nil {
		pr.ranges = n.prefixes
	}
	return pr
}

// linkPaths: lb reached through front f's private integration: one path
// on the front's viewer port, or none (decided or undecided in a).
func (g *Graph) linkPaths(lb *resource.Resource, f front, a *answer) []resource.ExposurePath {
	if f.Port == 0 {
		a.unknown("%s: the port of listener %s (the private integration of %s) is not in the inventory", lb.ID, f.listener.ID, f.r.ID)
		return nil
	}
	ls := linkListener(lb, f.Port)
	if isVPCLink(f.listener) {
		switch ls2 := lb.Facts.LoadBalancer.Listeners; {
		case ls2 == nil:
			a.unknown("%s: the listeners of the load balancer of %s (the private integration of %s) are not in the inventory", lb.ID, f.listener.ID, f.r.ID)
			return nil
		case !slices.ContainsFunc(ls2, func(l resource.Listener) bool { return l.Port == f.Port }):
			a.decided = true // no listener on the integration's port
			return nil
		}
	}
	hop := resource.Hop{Resource: f.r.ID, Allows: fmt.Sprintf("%s %s on port %d forwards to listener %s %d of %s through %s",
		frontWord(f.r), name(f.r), f.ViewerPort, strings.ToUpper(ls.Protocol), f.Port, name(lb), cmpOr(f.Via, "a VPC link"))}
	path := func(hops []resource.Hop) []resource.ExposurePath {
		a.decided = true
		return []resource.ExposurePath{{Protocol: "tcp", Family: "ipv4", FromPort: f.ViewerPort, ToPort: f.ViewerPort, Hops: hops}}
	}
	fws, missing := g.firewalls(lb, g.attached(lb.Provider, lb, lb.ID), false)
	if len(missing) > 0 {
		a.unknown("%s: security groups not in the inventory%s", lb.ID, list(missing))
		return nil
	}
	if len(fws) == 0 {
		return path([]resource.Hop{hop})
	}
	g.used(fws)
	res := &PathResult{}
	filter(res, Query{Protocol: "tcp", FromPort: f.Port, ToPort: f.Port}, []resource.Hop{hop}, nil, peer{}, nil, []stage{{fws: fws}}, g.linkPeer(lb, f.r, f.Via), nil)
	switch res.Verdict {
	case Reachable:
		return path(res.Paths[0].Hops)
	case Undecided:
		for _, u := range res.Undecided {
			a.unknown("%s: behind %s: %s", lb.ID, f.r.ID, u)
		}
	default:
		a.decided = true
	}
	return nil
}

// linkEntries: the ways into listener port of lb through private
// integrations (each a path to the load balancer on a front's viewer
// port); undecided ones are noted in a.
func (g *Graph) linkEntries(lb *resource.Resource, port int, a *answer) []resource.ExposurePath {
	var out []resource.ExposurePath
	for _, f := range g.frontedBy[g.key(lb.Provider, lb.ID)] {
		if f.listener == nil || f.Port != port || !g.frontPublic(lb.ID, f, a) {
			continue
		}
		out = append(out, g.linkPaths(lb, f, a)...)
	}
	return out
}
