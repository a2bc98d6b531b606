package reach

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Load balancers as the way in to their targets. A target receives what an
// internet-facing listener forwards to it, on the listener's port only,
// when its own filters let the forwarded traffic in from the address the
// target sees:
//
//   - a proxy (AWS ALB and classic ELB, Azure Application Gateway, GCP
//     target proxies) opens its own connection: the target sees the load
//     balancer, matched by its security groups (an AWS rule naming one),
//     its network's ranges (a CIDR covering the whole VPC), the VNet (Azure's
//     VirtualNetwork tag) or Google's front ends (35.191.0.0/16,
//     130.211.0.0/22);
//   - a pass-through balancer (AWS NLB, Azure Load Balancer, GCP target
//     pools and backend services named by a forwarding rule) keeps the
//     client's address: the target's filters must let the internet in, the
//     same evaluation as for a public IP (network ACLs with the reply,
//     security groups, NSGs of the subnet and the interface, VPC firewall
//     rules).

// gfe are addresses of Google's front ends, the source a GCP proxy load
// balancer's backends see.
var gfe = []netip.Addr{netip.MustParseAddr("35.191.0.1"), netip.MustParseAddr("130.211.0.1")}

// passthrough reports whether the targets of f see the client's address.
func passthrough(f forward) bool {
	lb, proto := f.lb, strings.ToUpper(f.listener.Protocol)
	switch lb.Provider {
	case resource.AWS:
		if strings.HasPrefix(lb.Type, "AWS::ElasticLoadBalancing::") {
			return false // a classic load balancer proxies on every listener
		}
		return proto != "HTTP" && proto != "HTTPS" // an NLB keeps the client address for instance targets
	case resource.Azure:
		t := strings.ToLower(lb.Type)
		return !strings.Contains(t, "applicationgateways") && !strings.Contains(t, "azurefirewalls") // Azure Firewall translates the source of DNAT traffic too
	case resource.GCP:
		for _, t := range targets(lb, "targets") {
			if strings.Contains(t, "Proxies/") {
				return false
			}
		}
		return proto != "HTTP" && proto != "HTTPS" && proto != "TLS" && proto != "SSL"
	}
	return false
}

// lbPeer is the source the targets of f see; ok is false (with the reason
// in a) when the load balancer's security groups are not all known. With
// nodes, the load balancer's own addresses whatever the listener (an NLB
// IP target without client IP preservation).
func (g *Graph) lbPeer(f forward, a *answer, nodes bool) (peer, bool) {
	lb := f.lb
	sgs, missing := g.firewalls(lb, g.attached(lb.Provider, lb, lb.ID), false)
	if len(missing) > 0 {
		a.unknown("%s: security groups not in the inventory%s", lb.ID, list(missing))
		return peer{}, false
	}
	if passthrough(f) && len(sgs) == 0 && !nodes {
		return peer{internet: true}, true
	}
	h := &host{r: lb, sgs: sgs}
	pr := peer{h: h}
	switch lb.Provider {
	case resource.AWS:
		if pr.ranges = g.subnetRanges(lb); pr.ranges == nil {
			g.indexLinks()
			if n := g.links.nets[g.netKey(lb.Provider, first(targets(lb, resource.RelInNetwork)))]; n != nil {
				pr.ranges = n.prefixes
			}
		}
	case resource.Azure:
		pr.vnet = true // an application gateway is in a subnet of the VNet (or a peered one)
	case resource.GCP:
		h.addrs = gfe
	}
	return pr, true
}

// subnetRanges: the IPv4 ranges of a load balancer's subnets, where its
// nodes' addresses lie, when every subnet it names is in the inventory
// with its range (AWS::EC2::Subnet items); nil otherwise (the VPC's
// ranges are then used).
func (g *Graph) subnetRanges(lb *resource.Resource) []netip.Prefix {
	ids := targets(lb, resource.RelInSubnet)
	var out []netip.Prefix
	for _, id := range ids {
		sn := g.get(lb, id)
		if sn == nil || sn.Facts.Addressing == nil {
			return nil
		}
		n := len(out)
		for _, p := range prefixes(sn.Facts.Addressing.Prefixes) {
			if p.Addr().Is4() {
				out = append(out, p)
			}
		}
		if len(out) == n {
			return nil // a subnet without its IPv4 range
		}
	}
	return out
}

// forwardHop names what links the listener to the target.
func forwardHop(f forward, port int) resource.Hop {
	to := " forwards to port " + strconv.Itoa(port)
	if f.ip {
		to = " forwards to IP target " + f.Target + " port " + strconv.Itoa(port)
	}
	if f.Via == "" {
		return resource.Hop{Resource: f.lb.ID, Allows: "listener" + to}
	}
	l := strings.ToLower(f.Via)
	kind := "target group"
	switch {
	case strings.Contains(l, "/loadbalancingrules/"):
		kind = "load-balancing rule " + lastSegment(f.Via)
	case strings.Contains(l, "/inboundnatrules/"):
		kind = "inbound NAT rule " + lastSegment(f.Via)
	case strings.Contains(l, "/rulecollectiongroups/"):
		kind = policyRuleText(f)
	case strings.Contains(l, "/natrulecollections/"):
		kind = "DNAT rule " + lastSegment(f.Via)
	case strings.Contains(l, "/requestroutingrules/"):
		kind = "request routing rule " + lastSegment(f.Via)
	case strings.Contains(l, "/targetpools/"):
		kind = "target pool " + lastSegment(f.Via)
	case strings.Contains(l, "/backendservices/"):
		kind = "backend service " + lastSegment(f.Via)
	case strings.Contains(l, ":targetgroup/"):
		kind = "target group " + strings.Split(l[strings.Index(l, ":targetgroup/")+len(":targetgroup/"):], "/")[0]
	}
	return resource.Hop{Resource: f.Via, Allows: kind + to}
}

func lastSegment(s string) string { return s[strings.LastIndex(s, "/")+1:] }

// viaListener: t receives what an internet-facing listener forwards to it,
// on the listener's port only, when its filters let the forwarded traffic
// in from the address it sees (lbPeer).
func (g *Graph) viaListener(t *resource.Resource, f forward, a *answer) {
	lbx := g.ownExposure(f.lb)
	if lbx.Internet == nil {
		a.unknown("%s: behind %s, whose exposure is undecided", t.ID, f.lb.ID)
		return
	}
	proto, reached, text := listenerProto(f.listener), false, ""
	for _, fam := range g.listenerFamilies(f.lb, f.listener) {
		var lbHops []resource.Hop
		for _, p := range lbx.Paths {
			if p.FromPort != f.listener.Port || p.Protocol != proto || p.Family != fam {
				continue
			}
			if lbHops != nil { // one port on two frontends: the listener's own path
				if text == "" {
					text = g.listenerText(f.lb, f.listener)
				}
				if p.Hops[0].Allows != text {
					continue
				}
			}
			lbHops = p.Hops
		}
		if lbHops != nil {
			reached = true
			g.toTarget(t, f, a, lbHops, f.listener.Port, fam, false)
		}
	}
	if !reached {
		// An API's private integration (a VPC link) may reach the
		// listener from inside the VPC, an NLB forwarding to this load
		// balancer (an alb target group) from the NLB: the target on the
		// API's or the NLB's port.
		if proto == "tcp" {
			for _, p := range g.linkEntries(f.lb, f.listener.Port, a) {
				g.toTarget(t, f, a, p.Hops, p.FromPort, "ipv4", true)
			}
			for _, p := range g.lbEntries[f.lb][f.listener.Port] {
				g.toTarget(t, f, a, p.Hops, p.FromPort, p.Family, false)
			}
		}
		a.decided = true
	}
}

// toTarget: t behind listener f, the listener reached by lbHops on port
// in family fam (from the internet, or through a VPC link: the load
// balancer's traffic then comes from inside its VPC).
func (g *Graph) toTarget(t *resource.Resource, f forward, a *answer, lbHops []resource.Hop, inPort int, fam string, link bool) {
	proto := listenerProto(f.listener)
	if t.Facts.LoadBalancer != nil {
		g.toLB(t, f, a, lbHops, inPort)
		return
	}
	port := f.Port
	if port == 0 {
		port = f.listener.Port
	}
	if isFunction(t) && t.Facts.Compute == nil {
		// A Lambda target: invoked by the load balancer, not over a network.
		hop := forwardHop(f, port)
		hop.Allows = strings.Replace(hop.Allows, "forwards to port "+strconv.Itoa(port), "invokes Lambda function "+name(t), 1)
		a.paths = append(a.paths, resource.ExposurePath{Protocol: proto, Family: fam, FromPort: inPort, ToPort: inPort, Hops: append(slices.Clone(lbHops), hop)})
		a.decided = true
		return
	}
	if f.outside {
		a.unknown("%s: IP target %s of %s is outside the load balancer's VPC (a peered VPC, a network over a VPN or Direct Connect): the route from the load balancer is not evaluated", t.ID, f.Target, f.lb.ID)
		return
	}
	// An AWS NLB translates an IPv6 client to its own IPv4 address for its
	// (IPv4) targets: they see the load balancer, as with a proxy.
	pr, ok := g.lbPeer(f, a, fam == "ipv6" && f.lb.Provider == resource.AWS)
	if !ok {
		return
	}
	if link && pr.internet {
		pr = g.linkPeer(f.lb, f.lb, "") // a pass-through balancer passes on the VPC link's address
		pr.sgUnknown = "the security groups of the API's VPC link are not in the inventory"
	}
	pr.v6 = pr.internet && fam == "ipv6" // a pass-through balancer passes on the client's IPv6 address
	h := g.host(t)
	if reasons := filterReasons(h); len(reasons) > 0 {
		a.undecided = append(a.undecided, reasons...)
		return
	}
	if t.Provider == resource.Azure && len(h.in) == 0 && pr.internet {
		a.unknown("%s: no NSG on its interface or subnet behind %s: open with a Basic load balancer, closed with a Standard one, and the SKU is not in the inventory", t.ID, f.lb.ID)
		return
	}
	res := &PathResult{}
	pre := append(slices.Clone(lbHops), forwardHop(f, port))
	filter(res, Query{Protocol: proto, FromPort: port, ToPort: port}, pre, nil, peer{}, nil, h.in, pr, nil)
	if nlbIPTarget(f) {
		// preserve_client_ip.enabled is not in the inventory: off (the
		// default for IP targets over TCP and TLS) the target sees the
		// load balancer's addresses, on it sees the client's.
		nodes, _ := g.lbPeer(f, a, true)
		off := &PathResult{}
		filter(off, Query{Protocol: proto, FromPort: port, ToPort: port}, pre, nil, peer{}, nil, h.in, nodes, nil)
		if off.Verdict != res.Verdict {
			a.unknown("%s: behind %s (IP target, %s %d): %s with client IP preservation off (the default), %s with it on; the target group's preserve_client_ip.enabled is not in the inventory",
				t.ID, f.lb.ID, strings.ToUpper(f.listener.Protocol), f.listener.Port, off.Verdict, res.Verdict)
			return
		}
		res = off
	}
	switch res.Verdict {
	case Reachable:
		for _, p := range res.Paths {
			a.paths = append(a.paths, resource.ExposurePath{Protocol: proto, Family: fam, FromPort: inPort, ToPort: inPort, Hops: p.Hops})
		}
		a.decided = true
	case Undecided:
		for _, u := range res.Undecided {
			a.unknown("%s: behind %s: %s", t.ID, f.lb.ID, u)
		}
	default:
		a.decided = true
	}
}

// filterReasons: why the filters of h are unknown (its network, which
// only routes need, aside).
func filterReasons(h *host) []string {
	var out []string
	for _, u := range h.undecided {
		if u != h.r.ID+": its network is not in the inventory" {
			out = append(out, u)
		}
	}
	return out
}

// forwards lists the listeners sending traffic to r or to one of its
// network interfaces.
func (g *Graph) forwards(r *resource.Resource) []forward {
	out := g.forwardedTo[g.key(r.Provider, r.ID)]
	if r.Facts.Compute != nil {
		for _, id := range targets(r, resource.RelUsesInterface) {
			out = append(slices.Clip(out), g.forwardedTo[g.canon(r.Provider, id)]...)
		}
	}
	return out
}

// cloudNAT finds a Cloud NAT giving h, a GCP VM without an external IP,
// outbound connections: one on its network in its region. A NAT serving
// listed subnetworks only is undecided (a VM's subnetwork is not in the
// model). NAT never opens a path from the internet (Exposure does not
// read it).
func (g *Graph) cloudNAT(h *host) (hop resource.Hop, undecided string, ok bool) {
	g.indexLinks()
	n := g.links.nets[h.net]
	if n == nil {
		return hop, "", false
	}
	zone := h.r.Region
	if _, z, ok := strings.Cut(h.r.ID, "/zones/"); ok {
		zone, _, _ = strings.Cut(z, "/")
	}
	for _, nat := range n.nats {
		if nat.Region != "" && zone != "" && zone != nat.Region && !strings.HasPrefix(zone, nat.Region+"-") {
			continue
		}
		if len(targets(nat, "nat_for")) > 0 {
			undecided = fmt.Sprintf("Cloud NAT %s of %s serves listed subnetworks only: whether it serves %s is not evaluated", nat.Facts.NetworkLink.State, name(nat), name(h.r))
			continue
		}
		return resource.Hop{Resource: nat.ID, Allows: "Cloud NAT " + nat.Facts.NetworkLink.State + " translates the private address (outbound only)"}, "", true
	}
	return hop, undecided, false
}

// toLB: load balancer t is a target of listener f (an NLB's target group
// of type alb), reached by lbHops on inPort: t is reached when its
// security groups admit what the NLB sends (the client's address or the
// NLB's, as client IP preservation decides: both are evaluated, and when
// they differ the answer is undecided) and it listens on the forwarded
// port; its listener's targets are then reached on inPort too
// (g.lbEntries).
func (g *Graph) toLB(t *resource.Resource, f forward, a *answer, lbHops []resource.Hop, inPort int) {
	if slices.ContainsFunc(lbHops, func(h resource.Hop) bool { return h.Resource == t.ID }) {
		a.decided = true // a path through t back to t: a cycle
		return
	}
	port := f.Port
	if port == 0 {
		port = f.listener.Port
	}
	if ls := t.Facts.LoadBalancer.Listeners; ls != nil && !slices.ContainsFunc(ls, func(l resource.Listener) bool { return l.Port == port }) {
		a.decided = true // nothing listens on the forwarded port
		return
	}
	fws, missing := g.firewalls(t, g.attached(t.Provider, t, t.ID), false)
	if len(missing) > 0 {
		a.unknown("%s: security groups not in the inventory%s", t.ID, list(missing))
		return
	}
	pre := append(slices.Clone(lbHops), forwardHop(f, port))
	hops := pre
	if len(fws) > 0 {
		g.used(fws)
		client, ok := g.lbPeer(f, a, false)
		if !ok {
			return
		}
		nodes, _ := g.lbPeer(f, a, true)
		q := Query{Protocol: "tcp", FromPort: port, ToPort: port}
		on, off := &PathResult{}, &PathResult{}
		filter(on, q, pre, nil, peer{}, nil, []stage{{fws: fws}}, client, nil)
		filter(off, q, pre, nil, peer{}, nil, []stage{{fws: fws}}, nodes, nil)
		switch {
		case on.Verdict != off.Verdict:
			a.unknown("%s: behind %s (a target group of type alb): %s with the client's address, %s with the load balancer's; which one it sees (client IP preservation) is not in the inventory",
				t.ID, f.lb.ID, on.Verdict, off.Verdict)
			return
		case on.Verdict == Undecided:
			for _, u := range on.Undecided {
				a.unknown("%s: behind %s: %s", t.ID, f.lb.ID, u)
			}
			return
		case on.Verdict != Reachable:
			a.decided = true
			return
		}
		hops = on.Paths[0].Hops
	}
	p := resource.ExposurePath{Protocol: "tcp", Family: "ipv4", FromPort: inPort, ToPort: inPort, Hops: hops}
	a.paths = append(a.paths, p)
	a.decided = true
	if g.lbEntries[t] == nil {
		g.lbEntries[t] = map[int][]resource.ExposurePath{}
	}
	g.lbEntries[t][port] = append(g.lbEntries[t][port], p)
}
