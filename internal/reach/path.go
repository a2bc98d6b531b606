package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Verdicts of a path question.
const (
	Reachable = "reachable"
	Denied    = "denied"
	Undecided = "undecided"
)

// Internet names the internet as an end of a path question.
const Internet = "internet"

// End is one end of a path question.
type End struct {
	ID        string            `json:"id"`
	Name      string            `json:"name,omitempty"`
	Provider  resource.Provider `json:"provider,omitempty"`
	Account   string            `json:"account,omitempty"`
	Addresses []string          `json:"addresses,omitempty"`
}

// PathResult answers whether From can reach To: on which protocols and
// ports through which hops (Paths), or the first hop that denies
// (Denied), or why it cannot be decided (Undecided).
type PathResult struct {
	From      End                     `json:"from"`
	To        End                     `json:"to"`
	Verdict   string                  `json:"verdict"`
	Paths     []resource.ExposurePath `json:"paths,omitempty"`
	Denied    *Denial                 `json:"denied,omitempty"`
	Undecided []string                `json:"undecided,omitempty"`
}

// Denial is the first hop that stops the traffic, after the hops that let
// it through (After).
type Denial struct {
	Resource string         `json:"resource"`
	Reason   string         `json:"reason"`
	After    []resource.Hop `json:"after,omitempty"`
}

// Query narrows a path question to one protocol ("" for tcp, udp and
// icmp) and a port range (0, 0 for all).
type Query struct {
	Protocol         string
	FromPort, ToPort int
}

// ParseQuery reads "tcp/22", "udp/500-4500", "22" (tcp) or "icmp".
func ParseQuery(s string) (Query, error) {
	if s == "" {
		return Query{}, nil
	}
	proto, ports, found := strings.Cut(strings.ToLower(s), "/")
	if !found {
		if _, err := strconv.Atoi(strings.Split(proto, "-")[0]); err == nil {
			proto, ports = "tcp", proto
		}
	}
	if !slices.Contains(protocols, proto) {
		return Query{}, fmt.Errorf("port %q: protocol %q is not tcp, udp or icmp", s, proto)
	}
	q := Query{Protocol: proto}
	if ports != "" {
		from, to, ok := resource.ParsePortRange(ports)
		if !ok {
			return Query{}, fmt.Errorf("port %q: %q is not a port or a port range", s, ports)
		}
		q.FromPort, q.ToPort = from, to
	}
	return q, nil
}

func (q Query) protocols() []string {
	if q.Protocol != "" {
		return []string{q.Protocol}
	}
	return protocols
}

func (q Query) ports(proto string) set {
	if proto == "icmp" || (q.FromPort == 0 && q.ToPort == 0) {
		return full
	}
	return set{{q.FromPort, q.ToPort}}
}

// Resolve finds the resource named by s: an ID or alias, a name, or a
// private address; "internet" is nil. It fails when s names nothing or
// several resources.
func (g *Graph) Resolve(s string) (*resource.Resource, error) {
	if strings.EqualFold(s, Internet) {
		return nil, nil
	}
	for _, p := range []resource.Provider{resource.AWS, resource.Azure, resource.GCP} {
		if r := g.find(p, s); r != nil && r.Provider == p {
			return r, nil
		}
	}
	var found []*resource.Resource
	addr, aerr := netip.ParseAddr(s)
	for _, r := range g.all {
		if r.Facts.Compute == nil && r.Facts.LoadBalancer == nil {
			continue
		}
		if r.Name == s || (aerr == nil && slices.Contains(g.host(r).addrs, addr)) {
			found = append(found, r)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%q names no resource of the inventory (an ID, a name, a private address or %q)", s, Internet)
	case 1:
		return found[0], nil
	}
	var ids []string
	for _, r := range found {
		ids = append(ids, r.ID)
	}
	return nil, fmt.Errorf("%q names %d resources: %s (give the ID)", s, len(found), strings.Join(ids, ", "))
}

// host is what a path question needs to know of an instance.
type host struct {
	r         *resource.Resource
	addrs     []netip.Addr
	net       string // network key
	rawNet    string // the network as the instance names it
	subnet    string
	public    *bool // a public IPv4 address (IPv6 paths are the exposure's)
	tags      []string
	sgs       []*resource.Resource
	in, out   []stage
	undecided []string
	// the routes in force, computed on the first path question from it
	routed   bool
	cands    []cand
	noRoutes string
	// unknownBGP: the BGP links of its routes whose other end is not in
	// the inventory (their advertised routes are unknown).
	unknownBGP []string
	// unknownDX: the Direct Connect gateways its routes may come through
	// whose associations are not in the inventory.
	unknownDX []string
}

// stage is one filter: a set of firewalls evaluated together.
type stage struct {
	ordered bool
	// stateless: an AWS network ACL, which checks the reply too.
	stateless bool
	fws       []*resource.Resource
	defaults  []ordered // implied rules evaluated after the firewalls' own
	// rules: when ordered, the firewalls' rules in evaluation order, then the defaults.
	rules []ordered
}

// host returns what a path question needs to know of r, computed once.
func (g *Graph) host(r *resource.Resource) *host {
	if h, ok := g.hosts[r]; ok {
		return h
	}
	if g.hosts == nil {
		g.hosts = map[*resource.Resource]*host{}
	}
	h := g.newHost(r)
	g.hosts[r] = h
	return h
}

func (g *Graph) newHost(r *resource.Resource) *host {
	h := &host{r: r}
	addAddrs := func(x *resource.Resource) {
		if x != nil && x.Facts.Addressing != nil {
			for _, s := range x.Facts.Addressing.PrivateIPs {
				if a, err := netip.ParseAddr(s); err == nil {
					h.addrs = append(h.addrs, a)
				}
			}
		}
	}
	addAddrs(r)
	nics, _ := g.interfaces(r)
	for _, n := range nics {
		addAddrs(n)
	}
	if r.Facts.Compute != nil {
		h.public, h.tags = publicV4(r), r.Facts.Compute.NetworkTags
	}
	switch r.Provider {
	case resource.AWS:
		subnets, sgIDs := targets(r, resource.RelInSubnet), g.attached(r.Provider, r, r.ID)
		for _, n := range nics {
			subnets = append(subnets, targets(n, resource.RelInSubnet)...)
			sgIDs = append(sgIDs, g.attached(n.Provider, n, n.ID)...)
		}
		h.subnet, h.rawNet = first(subnets), first(targets(r, resource.RelInNetwork))
		if s := g.get(r, h.subnet); s != nil && h.rawNet == "" {
			h.rawNet = first(targets(s, resource.RelInNetwork))
		}
		acls, missing := g.firewalls(r, g.attached(r.Provider, g.get(r, h.subnet), h.subnet), true)
		if len(acls) == 0 {
			h.undecided = append(h.undecided, fmt.Sprintf("%s: the network ACL of subnet %s is not in the inventory%s", r.ID, cmpOr(h.subnet, "(unknown)"), list(missing)))
		}
		sgs, missing := g.firewalls(r, sgIDs, false)
		if len(missing) > 0 || len(sgs) == 0 {
			h.undecided = append(h.undecided, fmt.Sprintf("%s: security groups not in the inventory%s", r.ID, list(missing)))
		}
		h.sgs = sgs
		h.in = []stage{{ordered: true, stateless: true, fws: acls}, {fws: sgs}}
		h.out = []stage{{fws: sgs}, {ordered: true, stateless: true, fws: acls}}
	case resource.Azure:
		var nic *resource.Resource
		for _, n := range nics {
			if first(targets(n, resource.RelInSubnet)) != "" {
				nic = n
				break
			}
		}
		if nic == nil {
			h.undecided = append(h.undecided, r.ID+": no network interface with its subnet in the inventory")
			break
		}
		if g.azurePublicV4([]*resource.Resource{nic}) { // an IPv6 one opens the exposure's IPv6 paths
			h.public = resource.Bool(true)
		} else if h.public == nil {
			h.public = resource.Bool(false)
		}
		h.subnet, h.rawNet = first(targets(nic, resource.RelInSubnet)), first(targets(nic, resource.RelInNetwork))
		nicNSG, m1 := g.firewalls(nic, g.attached(nic.Provider, nic, nic.ID), false)
		snNSG, m2 := g.firewalls(nic, g.attached(nic.Provider, g.get(nic, h.subnet), h.subnet), false)
		if m := append(m1, m2...); len(m) > 0 {
			h.undecided = append(h.undecided, fmt.Sprintf("%s: network security groups not in the inventory%s", r.ID, list(m)))
		}
		for _, fws := range [][]*resource.Resource{snNSG, nicNSG} {
			if len(fws) > 0 {
				h.in = append(h.in, stage{ordered: true, fws: fws, defaults: azureDefaults(fws)})
			}
		}
		for _, fws := range [][]*resource.Resource{nicNSG, snNSG} {
			if len(fws) > 0 {
				h.out = append(h.out, stage{ordered: true, fws: fws, defaults: azureDefaults(fws)})
			}
		}
	case resource.GCP:
		h.rawNet = first(targets(r, resource.RelInNetwork))
		var fws []*resource.Resource
		all := g.gcpFirewalls[g.key(r.Provider, h.rawNet)]
		for _, fw := range all {
			f := fw.Facts.Firewall
			if len(f.TargetTags)+len(f.TargetServiceAccounts) == 0 ||
				slices.ContainsFunc(f.TargetTags, func(t string) bool { return slices.Contains(h.tags, t) }) ||
				(r.Facts.Compute != nil && r.Facts.Compute.Identity != "" && slices.Contains(f.TargetServiceAccounts, r.Facts.Compute.Identity)) {
				if f.Rules == nil {
					h.undecided = append(h.undecided, fmt.Sprintf("%s: the rules of firewall %s are not in the inventory", r.ID, fw.ID))
				}
				fws = append(fws, fw)
			}
		}
		if len(all) == 0 {
			h.undecided = append(h.undecided, fmt.Sprintf("%s: no firewall rule of network %s is in the inventory", r.ID, h.rawNet))
		}
		implied := &resource.Resource{ID: cmpOr(h.rawNet, r.ID), Name: "implied rules"}
		h.in = []stage{{ordered: true, fws: fws, defaults: []ordered{{fw: implied, rl: resource.FirewallRule{Direction: "ingress", Action: "deny", Protocol: "all", ToPort: 65535, Sources: []string{"0.0.0.0/0"}, Priority: 65535}}}}}
		h.out = []stage{{ordered: true, fws: fws, defaults: []ordered{{fw: implied, rl: resource.FirewallRule{Direction: "egress", Action: "allow", Protocol: "all", ToPort: 65535, Sources: []string{"0.0.0.0/0"}, Priority: 65535}}}}}
	}
	if h.rawNet == "" {
		h.undecided = append(h.undecided, r.ID+": its network is not in the inventory")
	}
	h.net = g.netKey(r.Provider, h.rawNet)
	for _, sts := range [][]stage{h.in, h.out} {
		for i := range sts {
			if sts[i].ordered {
				sts[i].rules = g.sortedRules(sts[i])
			}
		}
	}
	if r.Provider == resource.GCP && len(h.in) == 1 && len(h.out) == 1 {
		levels, why := g.hierLevels(r)
		if why != "" {
			h.undecided = append(h.undecided, why)
		}
		global, regional, before, why := g.netPolicies(r, h.rawNet)
		if why != "" {
			h.undecided = append(h.undecided, why)
		}
		for _, sts := range [][]stage{h.in, h.out} {
			switch {
			case len(global)+len(regional) > 0:
				g.used(global)
				g.used(regional)
				sts[0].rules = composeRules(levels, orderedRules(sts[0].fws), global, regional, before, sts[0].defaults)
				sts[0].fws = slices.Concat(slices.Concat(levels...), global, regional, sts[0].fws)
			case len(levels) > 0:
				sts[0].rules = hierRules(levels, sts[0].rules)
				sts[0].fws = append(slices.Concat(levels...), sts[0].fws...)
			}
		}
	}
	return h
}

// sortedRules: a stage's rules in evaluation order, then its defaults,
// sorted once per set of firewalls (hosts share them).
func (g *Graph) sortedRules(st stage) []ordered {
	var b strings.Builder
	for _, fw := range st.fws {
		b.WriteString(fw.ID)
		b.WriteByte('|')
	}
	for _, d := range st.defaults {
		b.WriteString("+" + d.fw.ID + "|" + d.rl.Direction + "|" + d.rl.Action + "|" + strconv.Itoa(d.rl.Priority))
	}
	k := b.String()
	if r, ok := g.sorted[k]; ok {
		return r
	}
	if g.sorted == nil {
		g.sorted = map[string][]ordered{}
	}
	r := append(orderedRules(st.fws), st.defaults...)
	g.sorted[k] = r
	return r
}

// azureDefaults are the default rules of every NSG when the export left
// them out (AllowVnetInBound, AllowAzureLoadBalancerInBound,
// DenyAllInBound; AllowVnetOutBound, AllowInternetOutBound, DenyAllOutBound).
func azureDefaults(fws []*resource.Resource) []ordered {
	for _, fw := range fws {
		for _, rl := range fw.Facts.Firewall.Rules {
			if rl.Priority >= 65000 {
				return nil
			}
		}
	}
	d := &resource.Resource{ID: fws[0].ID, Name: name(fws[0]) + " default rules"}
	rule := func(dir, action string, prio int, src ...string) ordered {
		return ordered{fw: d, rl: resource.FirewallRule{Direction: dir, Action: action, Protocol: "all", ToPort: 65535, Priority: prio, Sources: src}}
	}
	return []ordered{
		rule("ingress", "allow", 65000, "VirtualNetwork"), rule("ingress", "allow", 65001, "AzureLoadBalancer"), rule("ingress", "deny", 65500, "0.0.0.0/0", "::/0"),
		rule("egress", "allow", 65000, "VirtualNetwork"), rule("egress", "allow", 65001, "0.0.0.0/0"), rule("egress", "deny", 65500, "0.0.0.0/0", "::/0"),
	}
}

// peer is the other end as a firewall rule sees it.
type peer struct {
	internet bool
	h        *host
	// vnet: the peer is in the scope of Azure's VirtualNetwork tag (the
	// same or a peered VNet, or a network behind a VPN gateway).
	vnet bool
	// sameNet: the peer is in the same network (GCP source tags and
	// service accounts match only there).
	sameNet bool
	// ranges: where the peer's unknown addresses lie (a load balancer in
	// its VPC): a prefix covering one of them matches.
	ranges []netip.Prefix
	// front: the internet peer is a CDN's or API gateway's edge (its
	// public ranges): a prefix list or a narrower public range may cover
	// it, which is not evaluated.
	front bool
	// sgUnknown: the peer's security groups are not in the inventory (an
	// API Gateway VPC link's): a rule naming a group is undecided, why.
	sgUnknown string
	// v6: the internet peer is an IPv6 address (::/0 matches, not
	// 0.0.0.0/0).
	v6 bool
}

func (p peer) String() string {
	if p.internet || p.h == nil {
		return "the internet"
	}
	if len(p.h.addrs) > 0 {
		return p.h.addrs[0].String()
	}
	return name(p.h.r)
}

// sourceMatches reports whether a rule's source (or destination, for an
// egress rule) s covers the peer; unknown says why it cannot be told.
func sourceMatches(s string, pr peer) (match bool, unknown string) {
	pf, err := netip.ParsePrefix(s)
	if err != nil {
		if a, aerr := netip.ParseAddr(s); aerr == nil {
			pf, err = netip.PrefixFrom(a, a.BitLen()), nil
		}
	}
	if err == nil {
		switch {
		case pr.internet && pr.front && pf.Bits() > 0 && pf.Addr().Is4() && !pf.Addr().IsPrivate() && !pf.Addr().IsLoopback() && !pf.Addr().IsLinkLocalUnicast():
			return false, fmt.Sprintf("whether %s covers the front's edge addresses is not evaluated", s)
		case pr.internet:
			return pf.Bits() == 0 && pf.Addr().Is4() != pr.v6, ""
		case len(pr.h.addrs) == 0:
			if pf.Bits() == 0 {
				// A load balancer's or firewall's own addresses: it forwards
				// over IPv4 to the private IPv4 addresses of its targets.
				return pf.Addr().Is4(), ""
			}
			if slices.ContainsFunc(pr.ranges, func(r netip.Prefix) bool { return pf.Bits() <= r.Bits() && pf.Contains(r.Addr()) }) {
				return true, ""
			}
			if len(pr.ranges) > 0 && !slices.ContainsFunc(pr.ranges, pf.Overlaps) {
				return false, ""
			}
			return false, fmt.Sprintf("the address of %s is not in the inventory, so whether %s covers it is unknown", pr.h.r.ID, s)
		}
		return slices.ContainsFunc(pr.h.addrs, pf.Contains), ""
	}
	l := strings.ToLower(s)
	if pr.internet {
		if pr.front && strings.HasPrefix(l, "pl-") {
			return false, fmt.Sprintf("source %s (a prefix list: CloudFront's origin-facing list?) is not evaluated", s)
		}
		return false, ""
	}
	switch {
	case l == "virtualnetwork":
		return pr.vnet, ""
	case strings.HasPrefix(l, "sg-") && pr.sgUnknown != "":
		return false, fmt.Sprintf("%s: %s", s, pr.sgUnknown)
	case strings.HasPrefix(l, "sg-"):
		return slices.ContainsFunc(pr.h.sgs, func(sg *resource.Resource) bool {
			return sg.ID == s || slices.Contains(sg.Aliases, s) || strings.HasSuffix(sg.ID, "/"+s)
		}), ""
	case strings.HasPrefix(l, "pl-") || strings.Contains(l, "/applicationsecuritygroups/"):
		return false, fmt.Sprintf("source %s (a prefix list or application security group) is not evaluated", s)
	case pr.h.r.Provider == resource.GCP && strings.Contains(s, "@"):
		return pr.sameNet && pr.h.r.Facts.Compute != nil && pr.h.r.Facts.Compute.Identity == s, ""
	case pr.h.r.Provider == resource.GCP && !strings.ContainsAny(s, "/:"):
		return pr.sameNet && slices.Contains(pr.h.tags, s), ""
	}
	return false, ""
}

// evaluated is one stage's verdict for one protocol.
type evaluated struct {
	dir         string
	allow, deny []rcontrib
	allowed     set
	undecided   set
	reasons     []string
	fws         []*resource.Resource
}

// eval evaluates a stage for traffic of proto in direction dir from (or,
// egress, to) the peer.
func eval(st stage, dir, proto string, pr peer) evaluated {
	e := evaluated{fws: st.fws, dir: dir}
	match := func(rl resource.FirewallRule) (bool, string) {
		if rl.Direction != dir || rl.Disabled {
			return false, ""
		}
		p := rl.Protocol
		if p == "icmpv6" {
			p = "icmp"
		}
		if p != "all" && p != proto {
			return false, ""
		}
		var unknown string
		for _, s := range rl.Sources {
			m, u := sourceMatches(s, pr)
			if m {
				return true, ""
			}
			unknown = cmpOr(unknown, u)
		}
		return false, unknown
	}
	if !st.ordered {
		for _, fw := range st.fws {
			for _, rl := range fw.Facts.Firewall.Rules {
				if rl.Action != "allow" {
					continue
				}
				m, u := match(rl)
				switch {
				case m:
					c := rcontrib{ordered{fw: fw, rl: rl}, rulePorts(rl, proto)}
					e.allow, e.allowed = append(e.allow, c), e.allowed.union(c.ports)
				case u != "":
					e.undecided, e.reasons = e.undecided.union(rulePorts(rl, proto)), append(e.reasons, u)
				}
			}
		}
		e.undecided = e.undecided.minus(e.allowed)
		return e
	}
	left, lvl := full, 0
	var pass set
	for _, o := range st.rules {
		if o.level != lvl {
			left, pass, lvl = left.union(pass), nil, o.level
		}
		if left.empty() && pass.empty() {
			break
		}
		m, u := match(o.rl)
		if !m && u == "" {
			continue
		}
		cov := left.intersect(rulePorts(o.rl, proto))
		if cov.empty() {
			continue
		}
		left = left.minus(cov)
		c := rcontrib{o, cov}
		switch {
		case !m:
			e.undecided, e.reasons = e.undecided.union(cov), append(e.reasons, u)
		case o.rl.Action == "allow":
			e.allow, e.allowed = append(e.allow, c), e.allowed.union(cov)
		case o.rl.Action == "goto_next":
			pass = pass.union(cov)
		default:
			e.deny = append(e.deny, c)
		}
	}
	return e
}

// rcontrib is a rule letting ports through (or, in deny, stopping them).
type rcontrib struct {
	o     ordered
	ports set
}

// hop names the rule of c as a hop (built only for what is shown).
func (e evaluated) hop(c rcontrib) resource.Hop {
	t := ruleText(c.o.fw, c.o.rl, strings.Join(c.o.rl.Sources, ", "))
	if e.dir == "egress" {
		t = strings.Replace(t, " from ", " to ", 1)
	}
	return resource.Hop{Resource: c.o.fw.ID, Allows: t}
}

// refine splits the reachable spans where the rule letting them through
// changes in some stage, and joins neighbours let through by the same
// rules, so each span's hops name the rules that let all of it through.
func refine(reach set, evs []evaluated) []span {
	var cuts []int
	for _, e := range evs {
		for _, c := range e.allow {
			for _, sp := range c.ports {
				cuts = append(cuts, sp.lo, sp.hi+1)
			}
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	var out []span
	var last []resource.Hop
	for _, sp := range reach {
		lo := sp.lo
		for lo <= sp.hi {
			hi := sp.hi
			if i, _ := slices.BinarySearch(cuts, lo+1); i < len(cuts) && cuts[i]-1 < hi {
				hi = cuts[i] - 1
			}
			hops := hopsFor(evs, span{lo, hi})
			if n := len(out); n > 0 && out[n-1].hi+1 == lo && slices.Equal(last, hops) {
				out[n-1].hi = hi
			} else {
				out = append(out, span{lo, hi})
			}
			last, lo = hops, hi+1
		}
	}
	return out
}

// hopsFor lists the rules of stages letting span sp through.
func hopsFor(ev []evaluated, sp span) []resource.Hop {
	var out []resource.Hop
	for _, e := range ev {
		for _, c := range e.allow {
			if !c.ports.intersect(set{sp}).empty() {
				out = append(out, e.hop(c))
				break
			}
		}
	}
	return out
}

// filter combines the stages on the way (src egress, dst ingress) with
// the route hops between them, per protocol, into res.
func filter(res *PathResult, q Query, pre []resource.Hop, out []stage, outPeer peer, mid []resource.Hop, in []stage, inPeer peer, post []resource.Hop) {
	var denial *Denial
	var reasons []string
	for _, proto := range q.protocols() {
		var evs []evaluated
		var dirs []string
		for _, st := range out {
			evs, dirs = append(evs, eval(st, "egress", proto, outPeer)), append(dirs, "egress")
		}
		nOut := len(evs)
		for _, st := range in {
			evs, dirs = append(evs, eval(st, "ingress", proto, inPeer)), append(dirs, "ingress")
		}
		reach, maybe := q.ports(proto), q.ports(proto)
		for i, e := range evs {
			before := maybe
			reach = reach.intersect(e.allowed)
			maybe = maybe.intersect(e.allowed.union(e.undecided))
			if maybe.empty() && denial == nil {
				denial = denyText(e, dirs[i], proto, before, outPeer, inPeer)
				denial.After = slices.Concat(pre, hopsFor(evs[:min(i, nOut)], before[0]))
				if i >= nOut {
					denial.After = slices.Concat(denial.After, mid, hopsFor(evs[nOut:i], before[0]))
				}
			}
			if !maybe.empty() || e.reasons != nil {
				reasons = append(reasons, e.reasons...)
			}
		}
		var replyHops []resource.Hop
		if !reach.empty() {
			var d *Denial
			replyHops, d = replies(proto, out, outPeer, in, inPeer)
			if d != nil {
				if denial == nil {
					denial = d
					denial.After = slices.Concat(pre, hopsFor(evs[:nOut], reach[0]), mid, hopsFor(evs[nOut:], reach[0]), post)
				}
				maybe, reach = maybe.minus(reach), nil
			}
		}
		for _, sp := range refine(reach, evs) {
			// An NSG on both the interface and its subnet is one hop.
			hops := slices.Compact(slices.Concat(pre, hopsFor(evs[:nOut], sp), mid, hopsFor(evs[nOut:], sp), post, replyHops))
			res.Paths = append(res.Paths, resource.ExposurePath{Protocol: proto, Family: "ipv4", FromPort: sp.lo, ToPort: sp.hi, Hops: hops})
		}
		if !maybe.minus(reach).empty() {
			res.Undecided = append(res.Undecided, reasons...)
		}
	}
	res.Undecided = uniq(res.Undecided)
	if denial != nil {
		denial.After = slices.Compact(denial.After)
	}
	switch {
	case len(res.Paths) > 0:
		res.Verdict = Reachable
	case len(res.Undecided) > 0:
		res.Verdict = Undecided
	default:
		res.Verdict, res.Denied = Denied, denial
	}
}

// ephemeral are the ports a reply goes to (the client's ephemeral ports).
var ephemeral = set{{1024, 65535}}

// replies checks the way back through stateless filters (AWS network
// ACLs): the destination's must let the reply out to the source on an
// ephemeral port, the source's must let it in. It returns the rules that
// do, or the first filter that stops the reply.
func replies(proto string, out []stage, outPeer peer, in []stage, inPeer peer) ([]resource.Hop, *Denial) {
	var hops []resource.Hop
	ports := ephemeral
	if proto == "icmp" {
		ports = full
	}
	check := func(st stage, dir string, pr peer) *Denial {
		e := eval(st, dir, proto, pr)
		for _, c := range e.allow {
			if !c.ports.intersect(ports).empty() {
				h := e.hop(c)
				hops = append(hops, resource.Hop{Resource: h.Resource, Allows: "reply: " + h.Allows})
				return nil
			}
		}
		if !e.undecided.intersect(ports).empty() {
			return nil // undecided: the forward answer stands, with its own reasons
		}
		d := denyText(e, dir, proto, ports, pr, pr)
		d.Reason = "the reply: " + d.Reason + " (network ACLs are stateless)"
		return d
	}
	for _, st := range in {
		if st.stateless {
			if d := check(st, "egress", inPeer); d != nil {
				return nil, d
			}
		}
	}
	for _, st := range out {
		if st.stateless {
			if d := check(st, "ingress", outPeer); d != nil {
				return nil, d
			}
		}
	}
	return hops, nil
}

func uniq(ss []string) []string {
	var out []string
	for _, s := range ss {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// denyText names why stage e stops proto on ports: its first deny rule
// covering them, or its implicit deny.
func denyText(e evaluated, dir, proto string, ports set, outPeer, inPeer peer) *Denial {
	for _, c := range e.deny {
		if !c.ports.intersect(ports).empty() {
			h := e.hop(c)
			return &Denial{Resource: h.Resource, Reason: "denied by " + h.Allows}
		}
	}
	var names []string
	id := ""
	for _, fw := range e.fws {
		names = append(names, name(fw))
		id = cmpOr(id, fw.ID)
	}
	what := proto
	if proto != "icmp" && !slices.Equal(ports, full) {
		what += " " + portsText(ports)
	}
	from := "from " + inPeer.String()
	if dir == "egress" {
		from = "to " + outPeer.String()
	}
	if len(names) == 0 {
		return &Denial{Resource: id, Reason: fmt.Sprintf("no %s rule allows %s %s", dir, what, from)}
	}
	return &Denial{Resource: id, Reason: fmt.Sprintf("no %s rule of %s allows %s %s (implicit deny)", dir, strings.Join(names, ", "), what, from)}
}

func portsText(s set) string {
	var parts []string
	for _, sp := range s {
		if sp.lo == sp.hi {
			parts = append(parts, strconv.Itoa(sp.lo))
		} else {
			parts = append(parts, strconv.Itoa(sp.lo)+"-"+strconv.Itoa(sp.hi))
		}
	}
	return strings.Join(parts, ",")
}

// end describes a resource (nil: the internet) as a path end.
func (g *Graph) end(r *resource.Resource) End {
	if r == nil {
		return End{ID: Internet}
	}
	e := End{ID: r.ID, Name: r.Name, Provider: r.Provider, Account: r.Account}
	for _, a := range g.host(r).addrs {
		e.Addresses = append(e.Addresses, a.String())
	}
	return e
}

// Path answers whether src can reach dst (nil: the internet).
func (g *Graph) Path(src, dst *resource.Resource, q Query) *PathResult {
	g.indexLinks()
	res := &PathResult{From: g.end(src), To: g.end(dst)}
	switch {
	case src == nil && dst == nil:
		res.Verdict, res.Undecided = Undecided, []string{"from the internet to the internet: nothing to decide"}
	case src == nil:
		g.fromInternet(res, dst, q)
	case src.Facts.Compute == nil:
		res.Verdict, res.Undecided = Undecided, []string{src.ID + ": paths start at a compute instance or the internet"}
	case dst == nil:
		g.toInternet(res, g.host(src), q)
	case dst.Facts.Compute == nil:
		res.Verdict, res.Undecided = Undecided, []string{dst.ID + ": paths between networks end at a compute instance (a load balancer only from the internet)"}
	default:
		g.between(res, g.host(src), g.host(dst), q)
	}
	slices.SortFunc(res.Paths, func(x, y resource.ExposurePath) int {
		return cmp.Or(cmp.Compare(x.Protocol, y.Protocol), cmp.Compare(x.FromPort, y.FromPort))
	})
	return res
}

// fromInternet: the exposure question for one resource, with the hop that
// denies when it is not exposed.
func (g *Graph) fromInternet(res *PathResult, dst *resource.Resource, q Query) {
	// Load-balancer paths (a listener, its targets) are the exposure's.
	x := g.Exposure(dst)
	var lbPaths []resource.ExposurePath
	for _, p := range x.Paths {
		if dst.Facts.LoadBalancer != nil || p.Family == "ipv6" || slices.ContainsFunc(p.Hops, func(h resource.Hop) bool { return strings.Contains(h.Allows, "listener") }) {
			if (q.Protocol == "" || q.Protocol == p.Protocol) && !q.ports(p.Protocol).intersect(set{{p.FromPort, p.ToPort}}).empty() {
				lbPaths = append(lbPaths, p)
			}
		}
	}
	defer func() {
		if len(lbPaths) > 0 {
			res.Paths, res.Verdict, res.Denied = append(res.Paths, lbPaths...), Reachable, nil
		}
	}()
	if dst.Facts.Compute == nil {
		switch {
		case x.Internet == nil:
			res.Verdict, res.Undecided = Undecided, x.Undecided
		case len(lbPaths) == 0:
			res.Verdict, res.Denied = Denied, &Denial{Resource: dst.ID, Reason: "no listener of it is reachable from the internet on the ports asked"}
		}
		return
	}
	h := g.host(dst)
	if h.public != nil && !*h.public && g.publicIPv6(dst) == nil {
		// No public IPv4 address, and whether an IPv6 one opens a path is
		// not in the inventory (the exposure says so).
		if i := slices.IndexFunc(x.Undecided, func(u string) bool { return strings.Contains(u, noIPv6Fact) }); i >= 0 {
			res.Verdict, res.Undecided = Undecided, []string{x.Undecided[i]}
			return
		}
	}
	if h.public != nil && !*h.public { // decided whatever else the inventory lacks
		res.Verdict, res.Denied = Denied, &Denial{Resource: dst.ID, Reason: "no public IP: nothing on the internet addresses it"}
		return
	}
	if len(h.undecided) > 0 {
		res.Verdict, res.Undecided = Undecided, h.undecided
		return
	}
	switch {
	case h.public == nil:
		res.Verdict, res.Undecided = Undecided, []string{dst.ID + ": whether it has a public IP is not in the inventory"}
		return
	case !*h.public:
		res.Verdict, res.Denied = Denied, &Denial{Resource: dst.ID, Reason: "no public IP: nothing on the internet addresses it"}
		return
	}
	if dst.Provider == resource.Azure && len(h.in) == 0 {
		res.Verdict, res.Undecided = Undecided, []string{dst.ID + ": no NSG on its interface or subnet: open with a Basic public IP, closed with a Standard one, and the SKU is not in the inventory"}
		return
	}
	back := g.route(h, netip.Addr{}, "")
	if back.undecided != "" || back.deny != nil {
		g.routeFailed(res, back, []resource.Hop{{Resource: dst.ID, Allows: "public IP"}}, "return traffic")
		return
	}
	pre := append([]resource.Hop{{Resource: dst.ID, Allows: "public IP"}}, back.hops...)
	filter(res, q, pre, nil, peer{}, nil, h.in, peer{internet: true}, nil)
}

// toInternet: whether src can open connections to the internet.
func (g *Graph) toInternet(res *PathResult, h *host, q Query) {
	if len(h.undecided) > 0 {
		res.Verdict, res.Undecided = Undecided, h.undecided
		return
	}
	fwd := g.route(h, netip.Addr{}, "")
	if fwd.undecided != "" || fwd.deny != nil {
		g.routeFailed(res, fwd, nil, "")
		return
	}
	filter(res, q, nil, h.out, peer{h: h}, fwd.hops, nil, peer{internet: true}, nil)
}

// between: instance to instance, in one network or across a peering or a
// VPN; the reply needs a route back (firewalls are stateful, except
// network ACLs whose egress side is not checked).
func (g *Graph) between(res *PathResult, s, d *host, q Query) {
	// A route that drops the traffic decides the answer even when a
	// filter of either end is not in the inventory.
	u := append(slices.Clone(s.undecided), d.undecided...)
	var fwd, back leg
	switch {
	case s.net == "" || d.net == "":
		res.Verdict, res.Undecided = Undecided, u
		return
	case s.net == d.net:
		hop := resource.Hop{Resource: cmpOr(d.rawNet, d.r.ID), Allows: "same network (local route)"}
		fwd = leg{hops: []resource.Hop{hop}}
	case len(d.addrs) == 0 || len(s.addrs) == 0:
		res.Verdict, res.Undecided = Undecided, append(u, "the private addresses of both ends are needed to route between networks; not in the inventory for "+map[bool]string{true: d.r.ID, false: s.r.ID}[len(d.addrs) == 0])
		return
	default:
		fwd = g.route(s, d.addrs[0], d.net)
		if fwd.deny == nil && fwd.undecided == "" {
			back = g.route(d, s.addrs[0], s.net)
		}
		switch {
		case fwd.deny != nil:
			g.routeFailed(res, fwd, nil, "")
			return
		case back.deny != nil:
			g.routeFailed(res, back, fwd.hops, "return traffic")
			return
		case fwd.undecided != "" || back.undecided != "":
			res.Verdict, res.Undecided = Undecided, append(u, cmpOr(fwd.undecided, back.undecided))
			return
		}
	}
	if len(u) > 0 {
		res.Verdict, res.Undecided = Undecided, u
		return
	}
	same := s.net == d.net
	filter(res, q, nil, s.out, peer{h: d, vnet: true, sameNet: same}, fwd.hops, d.in, peer{h: s, vnet: true, sameNet: same}, returnHops(back.hops))
}

func returnHops(hs []resource.Hop) []resource.Hop {
	out := make([]resource.Hop, len(hs))
	for i, h := range hs {
		out[i] = resource.Hop{Resource: h.Resource, Allows: "return: " + h.Allows}
	}
	return out
}

func (g *Graph) routeFailed(res *PathResult, l leg, after []resource.Hop, what string) {
	if l.undecided != "" {
		res.Verdict, res.Undecided = Undecided, []string{l.undecided}
		return
	}
	d := *l.deny
	if what != "" {
		d.Reason = what + ": " + d.Reason
	}
	d.After = slices.Concat(after, l.hops)
	res.Verdict, res.Denied = Denied, &d
}

// From answers, for one compromised host, what it can reach: every other
// compute instance of the inventory and the internet, one result each
// (reachable, denied or undecided).
func (g *Graph) From(src *resource.Resource, q Query) []*PathResult {
	var out []*PathResult
	for _, r := range g.all {
		if r.Facts.Compute != nil && r != src {
			out = append(out, g.Path(src, r, q))
		}
	}
	out = append(out, g.Path(src, nil, q))
	return out
}
