package reach

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// withFirsts prefixes each family's route hops with its public address
// hop; a family without one opens no path.
func withFirsts(first heads, routes map[string][]resource.Hop) map[string][]resource.Hop {
	out := make(map[string][]resource.Hop, 2)
	for _, fam := range families {
		if hops, ok := routes[fam.name]; ok && first.has(fam.name) {
			out[fam.name] = append([]resource.Hop{first[famIndex(fam.name)]}, hops...)
		}
	}
	return out
}

// aws: public IPv4 and IPv6 addresses, the subnet's route table, its
// network ACL and the instance's security groups. Every AWS IPv6 address
// is globally routable: the IPv6 path opens through a ::/0 route to an
// internet gateway (not an egress-only one). When the inventory does not
// say whether the instance has an IPv6 address, a path that would open
// with one makes the answer undecided, never "not exposed".
func (g *Graph) aws(r *resource.Resource, a *answer) {
	g.byFamily(r, a, r.Facts.Compute.PublicIP, g.publicIPv6(r), func(b *answer, hs heads, guess bool) {
		g.awsPaths(r, b, hs, guess)
	})
}

// publicIPv6: whether an instance has a public IPv6 address: its own
// fact, else (AWS) its network interfaces' (AWS::EC2::NetworkInterface
// items): one with an IPv6 address decides; none when every interface it
// uses is in the inventory without one; unknown otherwise.
func (g *Graph) publicIPv6(r *resource.Resource) *bool {
	if v6 := r.Facts.Compute.PublicIPv6; v6 != nil || r.Provider != resource.AWS {
		return v6
	}
	ids := targets(r, resource.RelUsesInterface)
	known := len(ids) > 0
	for _, id := range ids {
		n := g.get(r, id)
		switch {
		case n == nil || n.Facts.Addressing == nil || n.Facts.Addressing.PublicIPv6 == nil:
			known = false
		case *n.Facts.Addressing.PublicIPv6:
			return resource.Bool(true)
		}
	}
	if known {
		return resource.Bool(false)
	}
	return nil
}

// noIPv6Fact begins the reason an AWS instance's IPv6 exposure is
// undecided.
const noIPv6Fact = "whether it has an IPv6 address is not in the inventory"

// pathPorts names the protocols and ports of paths: "tcp 22, tcp 80-81".
func pathPorts(ps []resource.ExposurePath) string {
	var out []string
	for _, p := range ps {
		s := fmt.Sprintf("%s %d", p.Protocol, p.FromPort)
		if p.ToPort != p.FromPort {
			s += fmt.Sprintf("-%d", p.ToPort)
		}
		out = append(out, s)
	}
	return strings.Join(out, ", ")
}

// awsPaths adds to a the paths of r opened by the first hops (per family).
// routedOnly: stop before the firewalls when no family of hs has a
// default route to the internet (a guess at an address the inventory
// does not record, which no firewall needs to be read for).
func (g *Graph) awsPaths(r *resource.Resource, a *answer, hs heads, routedOnly bool) {
	nics, _ := g.interfaces(r)
	subnets, sgIDs := targets(r, resource.RelInSubnet), g.attached(r.Provider, r, r.ID)
	for _, n := range nics {
		subnets = append(subnets, targets(n, resource.RelInSubnet)...)
		sgIDs = append(sgIDs, g.attached(n.Provider, n, n.ID)...)
	}
	sn := first(subnets)
	if sn == "" {
		a.unknown("%s: its subnet is not in the inventory", r.ID)
		return
	}
	tables := routing(g.routesFor[g.key(r.Provider, sn)], false)
	if len(tables) == 0 {
		vpc := first(targets(r, resource.RelInNetwork))
		if s := g.get(r, sn); s != nil && vpc == "" {
			vpc = first(targets(s, resource.RelInNetwork))
		}
		tables = routing(g.routesFor[g.key(r.Provider, vpc)], true)
	}
	if len(tables) == 0 {
		a.unknown("%s: the route table of subnet %s is not in the inventory", r.ID, sn)
		return
	}
	fams := withFirsts(hs, defaultRoutes(tables, nil))
	if routedOnly && len(fams) == 0 {
		return
	}
	acls, missing := g.firewalls(r, g.attached(r.Provider, g.get(r, sn), sn), true)
	if len(acls) == 0 {
		a.unknown("%s: the network ACL of subnet %s is not in the inventory%s", r.ID, sn, list(missing))
		return
	}
	sgs, missing := g.firewalls(r, sgIDs, false)
	if len(missing) > 0 || len(sgs) == 0 {
		a.unknown("%s: security groups not in the inventory%s", r.ID, list(missing))
		return
	}
	before := len(a.paths)
	a.through(fams, []layer{g.layer(true, acls), g.layer(false, sgs)})
	// The network ACL is stateless: the reply must leave the subnet too
	// (checked when its egress entries are in the inventory: every ACL has
	// some, its default deny at least).
	if !slices.ContainsFunc(acls, func(acl *resource.Resource) bool {
		return slices.ContainsFunc(acl.Facts.Firewall.Rules, func(rl resource.FirewallRule) bool { return rl.Direction == "egress" })
	}) {
		return
	}
	kept := a.paths[:before]
	for _, p := range a.paths[before:] {
		if g.replyOut(acls, p.Family, p.Protocol) {
			kept = append(kept, p)
		}
	}
	a.paths = kept
}

// replyOut reports whether the network ACLs let a reply of proto out to
// the internet over family fam, once per set of ACLs, family and protocol.
func (g *Graph) replyOut(acls []*resource.Resource, fam, proto string) bool {
	var b strings.Builder
	b.WriteString(fam + "|" + proto)
	for _, acl := range acls {
		b.WriteString("|" + acl.ID)
	}
	k := b.String()
	if ok, done := g.replyOK[k]; done {
		return ok
	}
	st := stage{ordered: true, stateless: true, fws: acls}
	st.rules = g.sortedRules(st)
	_, d := replies(proto, nil, peer{}, []stage{st}, peer{internet: true, v6: fam == "ipv6"})
	g.replyOK[k] = d == nil
	return d == nil
}

func list(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ": " + strings.Join(ids, ", ")
}

// azure: per network interface, its public IPs (IPv4 and IPv6, by their
// version) and the NSGs of the interface and of its subnet.
func (g *Graph) azure(r *resource.Resource, a *answer) {
	nics, missing := g.interfaces(r)
	if len(missing) > 0 || len(nics) == 0 {
		a.unknown("%s: network interfaces not in the inventory%s", r.ID, list(missing))
		return
	}
	for _, n := range nics {
		hs, unknownV6 := g.azureHeads(n)
		if hs.empty() {
			a.decided = true
			continue
		}
		sn := first(targets(n, resource.RelInSubnet))
		if sn == "" {
			a.unknown("%s: the subnet of interface %s is not in the inventory", r.ID, n.ID)
			continue
		}
		var layers []layer
		nicNSG, m1 := g.firewalls(n, g.attached(n.Provider, n, n.ID), false)
		snNSG, m2 := g.firewalls(n, g.attached(n.Provider, g.get(n, sn), sn), false)
		if m := append(m1, m2...); len(m) > 0 {
			a.unknown("%s: network security groups not in the inventory%s", r.ID, list(m))
			continue
		}
		if len(nicNSG)+len(snNSG) == 0 {
			a.unknown("%s: no NSG on interface %s or its subnet: open with a Basic public IP, closed with a Standard one, and the SKU is not in the inventory", r.ID, n.ID)
			continue
		}
		for _, fws := range [][]*resource.Resource{snNSG, nicNSG} {
			if len(fws) > 0 {
				layers = append(layers, g.layer(true, fws))
			}
		}
		routes := map[string][]resource.Hop{"ipv4": {{Resource: sn, Allows: "system route 0.0.0.0/0 -> Internet"}}, "ipv6": {{Resource: sn, Allows: "system route ::/0 -> Internet"}}}
		if tables := routing(g.routesFor[g.key(r.Provider, sn)], false); len(tables) > 0 {
			routes = overrides(tables, routes)
		}
		before := len(a.paths)
		a.through(withFirsts(hs, routes), layers)
		if unknownV6 != "" {
			a.guessedV6(before, n.ID, unknownV6, "as an IPv6 address")
		}
	}
}

// overrides applies an Azure route table's default routes over the
// system ones: a user default route elsewhere than the internet removes it.
func overrides(tables []*resource.Resource, sys map[string][]resource.Hop) map[string][]resource.Hop {
	out := defaultRoutes(tables, nil)
	for _, fam := range families {
		if _, ok := out[fam.name]; ok {
			continue
		}
		user := false
		for _, t := range tables {
			for _, rt := range t.Facts.Routing.Routes {
				user = user || rt.Destination == fam.any
			}
		}
		if !user {
			out[fam.name] = sys[fam.name]
		}
	}
	return out
}

func name0(r *resource.Resource, id string) string {
	if r == nil {
		return id
	}
	return name(r)
}

// gcp: an external IPv4 address (accessConfigs) or IPv6 address
// (ipv6AccessConfigs), a default route (0.0.0.0/0, ::/0) to the internet
// gateway, and the VPC firewall rules that apply to the VM (IPv6 through
// the rules admitting ::/0).
func (g *Graph) gcp(r *resource.Resource, a *answer) {
	g.byFamily(r, a, publicV4(r), g.publicIPv6(r), func(b *answer, hs heads, _ bool) {
		g.gcpPaths(r, b, hs)
	})
}

// gcpPaths adds to a the paths of r opened by the first hops (per family).
func (g *Graph) gcpPaths(r *resource.Resource, a *answer, hs heads) {
	net := first(targets(r, resource.RelInNetwork))
	if net == "" {
		a.unknown("%s: its network is not in the inventory", r.ID)
		return
	}
	tables := routing(g.routesFor[g.key(r.Provider, net)], false)
	if len(tables) == 0 {
		a.unknown("%s: the routes of network %s are not in the inventory", r.ID, net)
		return
	}
	var fws []*resource.Resource
	all := g.gcpFirewalls[g.key(r.Provider, net)]
	for _, fw := range all {
		f := fw.Facts.Firewall
		if len(f.TargetTags)+len(f.TargetServiceAccounts) == 0 ||
			slices.ContainsFunc(f.TargetTags, func(t string) bool { return slices.Contains(r.Facts.Compute.NetworkTags, t) }) ||
			(r.Facts.Compute.Identity != "" && slices.Contains(f.TargetServiceAccounts, r.Facts.Compute.Identity)) {
			if f.Rules == nil {
				a.unknown("%s: the rules of firewall %s are not in the inventory", r.ID, fw.ID)
				return
			}
			fws = append(fws, fw)
		}
	}
	if len(all) == 0 {
		a.unknown("%s: no firewall rule of network %s is in the inventory", r.ID, net)
		return
	}
	g.used(fws)
	levels, why := g.hierLevels(r)
	if why != "" {
		a.unknown("%s", why)
		return
	}
	global, regional, before, why := g.netPolicies(r, net)
	if why != "" {
		a.unknown("%s", why)
		return
	}
	l := g.layer(true, fws)
	if len(levels) > 0 {
		for _, ps := range levels {
			g.used(ps)
		}
		l = g.hierLayer(levels, fws)
	}
	if len(global)+len(regional) > 0 {
		g.used(global)
		g.used(regional)
		l = g.netPolicyLayer(levels, fws, global, regional, before)
	}
	a.through(withFirsts(hs, defaultRoutes(tables, r.Facts.Compute.NetworkTags)), []layer{l})
}

// loadBalancer: an internet-facing load balancer is reachable on its
// listeners, through its own firewalls when it has any.
func (g *Graph) loadBalancer(r *resource.Resource, a *answer) {
	lb := r.Facts.LoadBalancer
	switch {
	case lb.Public == nil:
		a.unknown("%s: whether it is internet-facing is not in the inventory", r.ID)
		return
	case !*lb.Public:
		a.decided = true
		return
	}
	fws, missing := g.firewalls(r, g.attached(r.Provider, r, r.ID), false)
	if len(missing) > 0 {
		a.unknown("%s: security groups not in the inventory%s", r.ID, list(missing))
		return
	}
	var l layer
	if len(fws) > 0 {
		l = g.layer(false, fws)
	}
	if why := g.policyUndecided[r]; why != "" {
		a.unknown("%s", why)
	}
	for _, ls := range g.listeners(r) {
		proto := listenerProto(ls)
		for _, fam := range g.listenerFamilies(r, ls) {
			hops := []resource.Hop{{Resource: r.ID, Allows: g.listenerText(r, ls)}}
			if l != nil {
				var ok bool
				if hops, ok = filtered(l, fam, proto, ls.Port, hops); !ok {
					continue
				}
			}
			a.paths = append(a.paths, resource.ExposurePath{Protocol: proto, Family: fam, FromPort: ls.Port, ToPort: ls.Port, Hops: hops})
		}
	}
	a.decided = true
}

// filtered appends to hops the rule of l that lets proto/port in from
// anywhere in family fam; ok is false when none does.
func filtered(l layer, fam, proto string, port int, hops []resource.Hop) ([]resource.Hop, bool) {
	for _, c := range l[[2]string{fam, proto}] {
		if !c.ports.intersect(set{{port, port}}).empty() {
			return append(hops, c.hop), true
		}
	}
	return hops, false
}

func listenerProto(ls resource.Listener) string {
	if strings.EqualFold(ls.Protocol, "udp") {
		return "udp"
	}
	return "tcp"
}

// listenerText names a listener; an Azure Firewall's DNAT listener with
// the public address it applies to.
func (g *Graph) listenerText(lb *resource.Resource, ls resource.Listener) string {
	s := fmt.Sprintf("internet-facing listener %s %d", strings.ToUpper(ls.Protocol), ls.Port)
	if ls.Frontend != "" && isAzureFirewall(lb) {
		s += " on " + name0(g.get(lb, ls.Frontend), ls.Frontend)
	}
	return s
}
