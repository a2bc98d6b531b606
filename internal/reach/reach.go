package reach

import (
	"cmp"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/resource/idcase"
)

// Annotate computes the exposure of every compute instance, load balancer
// and load-balancer target of rs and sets it as their facts.exposure; then
// the exposure of every firewall: the resources it lets the internet reach
// (Exposes, and their paths through it), false when every resource it
// filters was decided and none is reached through it. It is idempotent.
func Annotate(rs []*resource.Resource) { AnnotateIndexed(rs, nil) }

// AnnotateIndexed is Annotate given idx, NewIndex(rs) built beforehand
// (nil: built now).
func AnnotateIndexed(rs []*resource.Resource, idx *Index) {
	g := newIndexed(rs, idx)
	for _, r := range rs {
		if isPolicyGroup(r) {
			continue // its rules are its firewalls'
		}
		if r.Class == resource.ClassCompute || r.Class == resource.ClassLoadBalancer || r.Facts.LoadBalancer != nil || g.targeted[r] {
			r.Facts.Exposure = g.Exposure(r)
		}
	}
	for _, fw := range rs {
		if fw.Facts.Firewall != nil {
			fw.Facts.Exposure = g.firewallExposure(fw)
		}
	}
}

// firewallExposure: what the internet reaches through fw, among the
// resources whose evaluation read it.
func (g *Graph) firewallExposure(fw *resource.Resource) *resource.Exposure {
	c := &exposureCell{}
	e := &c.e
	users := g.users[fw]
	seen := make(map[*resource.Resource]bool, len(users))
	for _, u := range users {
		ux := u.Facts.Exposure
		if ux == nil || seen[u] {
			continue
		}
		seen[u] = true
		if ux.Internet == nil {
			e.Undecided = append(e.Undecided, "the exposure of "+u.ID+" is undecided")
		}
		through := false
		for _, p := range ux.Paths {
			if slices.ContainsFunc(p.Hops, func(h resource.Hop) bool { return h.Resource == fw.ID }) {
				e.Paths, through = append(e.Paths, p), true
			}
		}
		if through {
			e.Exposes = append(e.Exposes, u.ID)
		}
	}
	switch {
	case len(e.Exposes) > 0:
		c.decide(true)
	case len(users) == 0 && (fw.Facts.Firewall.InUse == nil || *fw.Facts.Firewall.InUse):
		e.Undecided = slices.Clip(noFilteredResource) // nothing else was added: no user
	case len(e.Undecided) == 0:
		c.decide(false)
	}
	return e
}

// noFilteredResource is the reason of every firewall that filters no
// resource of the inventory (most of them in a large inventory: one slice
// for all). Never written: whoever adds a reason appends to it clipped, so
// into a copy.
var noFilteredResource = []string{"no resource it filters is in the inventory with its network path"}

// An exposureCell is an exposure and the value its Internet points at, in
// one allocation (a large inventory has hundreds of thousands of
// exposures, each marked by every collection after the derivation).
type exposureCell struct {
	e        resource.Exposure
	internet bool
}

// decide sets the exposure's Internet to v.
func (c *exposureCell) decide(v bool) {
	c.internet = v
	c.e.Internet = &c.internet
}

// used records that the evaluation of the current resource read fws.
func (g *Graph) used(fws []*resource.Resource) {
	if g.cur == nil {
		return
	}
	for _, fw := range fws {
		if l := g.users[fw]; len(l) == 0 || l[len(l)-1] != g.cur {
			g.users[fw] = append(l, g.cur)
		}
	}
}

// Graph indexes an inventory's network facts and relationships.
type Graph struct {
	// byKey: a resource by its ID and aliases (normID), without the
	// string a key() would build: most lookups and every resource's
	// entry need none. With look set, only GCP's (Index).
	byKey map[rkey]*resource.Resource
	look  Lookup
	// targeted: the resources a listener forwards to or a front has as
	// its origin (Annotate computes their exposure).
	targeted map[*resource.Resource]bool
	// reverse relationships: target key → the resources pointing at it.
	firewallOf, routesFor map[string][]*resource.Resource
	// gcpFirewalls: network key → its firewall rules, in evaluation order.
	gcpFirewalls map[string][]*resource.Resource
	// replyOK caches replyOut; lbExposure the exposure of load balancers
	// (asked once per target behind them).
	replyOK    map[string]bool
	lbExposure map[*resource.Resource]*resource.Exposure
	// lbEntries: a load balancer reached as another's target (an NLB's
	// target group of type alb) → its listener port → the paths reaching
	// it there.
	lbEntries map[*resource.Resource]map[int][]resource.ExposurePath
	// byAddr: provider|private address → the instance or interface
	// holding it (only one).
	byAddr map[string]*resource.Resource
	// gcpPolicies: the hierarchical firewall policies (and their parts).
	gcpPolicies []*resource.Resource
	// forwardedTo: target key → the listeners sending traffic to it.
	forwardedTo map[string][]forward
	// frontedBy: origin key → the CloudFront distributions and API
	// gateways forwarding to it.
	frontedBy map[string][]front
	// skipFronts > 0: an exposure asked for a front's origin itself
	// (ownExposure) leaves the fronts out.
	skipFronts int
	// policyListeners: an Azure firewall → the DNAT rules of its firewall
	// policy; policyUndecided: why they are unknown.
	policyListeners map[*resource.Resource][]resource.Listener
	policyUndecided map[*resource.Resource]string
	// dnat: an Azure firewall → its DNAT rules that decide (firstDNAT).
	dnat map[*resource.Resource][]resource.Listener
	// netPols: GCP network key → the network firewall policies
	// associated with it.
	netPols map[string][]netPolicy
	// holders: provider|address → every instance or interface holding
	// that private address, for the addresses IP targets name.
	holders map[string][]*resource.Resource
	// iface: the keys of compute instances' network interfaces (a listener
	// forwarding to one reaches its instance).
	iface map[string]bool
	// cur is the resource being evaluated; users records, per firewall,
	// the resources whose evaluation read it.
	cur   *resource.Resource
	users map[*resource.Resource][]*resource.Resource
	// layers caches the layer of a set of firewalls (many instances share
	// their security groups, subnets and networks).
	layers map[string]layer
	// all is the inventory; links indexes its networks and the links
	// between them, built on the first path question.
	all   []*resource.Resource
	links *links
	hosts map[*resource.Resource]*host
	// sorted caches the ordered rules of a set of firewalls.
	sorted map[string][]ordered
}

// layer returns the layer of fws, first-match (ordered) or union.
func (g *Graph) layer(ordered bool, fws []*resource.Resource) layer {
	var b strings.Builder
	b.WriteString(strconv.FormatBool(ordered))
	for _, fw := range fws {
		b.WriteString("|")
		b.WriteString(fw.ID)
	}
	k := b.String()
	if l, ok := g.layers[k]; ok {
		return l
	}
	var l layer
	if ordered {
		l = orderedLayer(orderedRules(fws))
	} else {
		l = unionLayer(fws)
	}
	g.layers[k] = l
	return l
}

type forward struct {
	lb       *resource.Resource
	listener resource.Listener
	resource.Forward
	// ip: the target is named by a private address (an ELBv2 IP target);
	// outside: the instance holding it is not in the load balancer's VPC.
	ip, outside bool
}

// key is the lookup key of an ID: Azure IDs are case-insensitive; a GCP
// Compute Engine resource is named by its asset name or by its API URLs,
// keyed by their common projects/... part.
func (g *Graph) key(p resource.Provider, id string) string {
	return string(p) + "|" + normID(p, id)
}

// rkey is the key of byKey.
type rkey struct {
	p  resource.Provider
	id string
}

// normID is an ID as key() compares it.
func normID(p resource.Provider, id string) string {
	switch p {
	case resource.Azure:
		return strings.ToLower(id)
	case resource.GCP:
		return gcpPath(id)
	}
	return id
}

// find is the resource id names in provider p's IDs and aliases.
func (g *Graph) find(p resource.Provider, id string) *resource.Resource {
	if g.look != nil && p != resource.GCP {
		return g.look(p, id)
	}
	return g.byKey[rkey{p, normID(p, id)}]
}

// gcpPath strips the service or API prefix of a Compute Engine name.
func gcpPath(id string) string {
	for _, pre := range []string{"//compute.googleapis.com/", "https://www.googleapis.com/compute/v1/", "https://compute.googleapis.com/compute/v1/", "https://www.googleapis.com/compute/beta/"} {
		if rest, ok := strings.CutPrefix(id, pre); ok {
			return rest
		}
	}
	return id
}

// Index looks resources up by their IDs and aliases. It reads nothing
// else of them, so it can be built (NewIndex) while other facts of the
// resources are still being derived: at 1,000,000 resources it is most of
// building a Graph (about 0.7 s of 1.1).
type Index struct {
	byKey map[rkey]*resource.Resource
	look  Lookup // the providers' but GCP's, when set (NewGCPIndex)
}

// A Lookup returns the resource of provider p whose ID, or else one of
// whose aliases, is id, as an index of every resource's ID and then its
// aliases finds it (an alias never hides another resource's ID), Azure IDs
// compared as strings.ToLower makes them and the others' as they are; nil
// when none is. A Graph calls it from one goroutine at a time.
type Lookup func(p resource.Provider, id string) *resource.Resource

// NewIndex indexes the IDs and aliases of rs (an ID before any alias).
func NewIndex(rs []*resource.Resource) *Index { return newIndex(rs, nil) }

// NewGCPIndex indexes the IDs and aliases of rs's GCP resources and looks
// the others up through look, an index of the same resources by ID that
// the caller holds anyway (inventory's derivation): at 100,000 resources
// the index of every resource was about 50 CPU-ms and 15 MB, most of the
// reachability graph's cost. GCP's are keyed apart because a Compute
// Engine resource is named by its asset name or its API URLs (normID).
// look is not called before the Graph is built (AnnotateIndexed), so it
// may read what is completed after this returns.
func NewGCPIndex(rs []*resource.Resource, look Lookup) *Index {
	return newIndex(rs, func(p resource.Provider) bool { return p == resource.GCP }).with(look)
}

func (x *Index) with(look Lookup) *Index {
	x.look = look
	return x
}

// newIndex indexes the IDs and aliases of the resources of rs whose
// provider keep says (nil: all).
func newIndex(rs []*resource.Resource, keep func(resource.Provider) bool) *Index {
	n := 0
	for _, r := range rs {
		if keep == nil || keep(r.Provider) {
			n += 1 + len(r.Aliases)
		}
	}
	idx := &Index{byKey: make(map[rkey]*resource.Resource, n)}
	var low lowerer
	for _, r := range rs {
		if keep == nil || keep(r.Provider) {
			idx.byKey[rkey{r.Provider, low.normID(r.Provider, r.ID)}] = r
		}
	}
	for _, r := range rs {
		if keep != nil && !keep(r.Provider) {
			continue
		}
		for _, a := range r.Aliases {
			if k := (rkey{r.Provider, low.normID(r.Provider, a)}); idx.byKey[k] == nil {
				idx.byKey[k] = r
			}
		}
	}
	return idx
}

// A lowerer lower-cases the Azure IDs of an index's keys into shared
// blocks of text rather than one string each (at 1,000,000 resources half
// a million strings fewer for the collections during the derivation to
// mark). A key's string keeps its block alive: the index's keys live
// together.
type lowerer struct{ idcase.Lowerer }

// normID is normID(p, id), the lower-cased text in the lowerer's blocks.
func (l *lowerer) normID(p resource.Provider, id string) string {
	if p != resource.Azure {
		return normID(p, id)
	}
	return l.Keep(id)
}

// New indexes rs.
func New(rs []*resource.Resource) *Graph { return newIndexed(rs, nil) }

// newIndexed is New given idx, NewIndex(rs) (nil: built now).
func newIndexed(rs []*resource.Resource, idx *Index) *Graph {
	if idx == nil {
		idx = NewIndex(rs)
	}
	g := &Graph{byKey: idx.byKey, look: idx.look, firewallOf: map[string][]*resource.Resource{},
		routesFor: map[string][]*resource.Resource{}, gcpFirewalls: map[string][]*resource.Resource{}, forwardedTo: map[string][]forward{}, iface: map[string]bool{}, layers: map[string]layer{}, users: map[*resource.Resource][]*resource.Resource{}, all: rs}
	g.byAddr, g.replyOK, g.lbExposure = map[string]*resource.Resource{}, map[string]bool{}, map[*resource.Resource]*resource.Exposure{}
	g.lbEntries = map[*resource.Resource]map[int][]resource.ExposurePath{}
	for _, r := range rs {
		if a := r.Facts.Addressing; a != nil && r.Facts.Network == nil {
			for _, ip := range a.PrivateIPs {
				g.byAddr[string(r.Provider)+"|"+ip] = r
			}
		}
		if isPolicy(r) {
			g.gcpPolicies = append(g.gcpPolicies, r)
		}
		if r.Provider == resource.GCP && r.Facts.Firewall != nil {
			g.indexNetPolicies(r)
		}
		// Keys only for the relationships indexed (most are not).
		for _, rel := range r.Relationships {
			switch rel.Type {
			case resource.RelUsesInterface:
				if r.Facts.Compute != nil {
					g.iface[g.key(r.Provider, rel.TargetID)] = true
				}
			case resource.RelFirewallOf:
				k := g.key(r.Provider, rel.TargetID)
				g.firewallOf[k] = append(g.firewallOf[k], r)
			case resource.RelRoutesFor:
				k := g.key(r.Provider, rel.TargetID)
				g.routesFor[k] = append(g.routesFor[k], r)
			case resource.RelInNetwork:
				if r.Provider == resource.GCP && r.Facts.Firewall != nil && !isPolicy(r) {
					k := g.key(r.Provider, rel.TargetID)
					g.gcpFirewalls[k] = append(g.gcpFirewalls[k], r)
				}
			}
		}
	}
	// Forward targets and interfaces are named as their source names them
	// (an instance ID, a NIC's IP configuration): keyed by the resource.
	for k := range g.iface {
		if c := g.canon(resource.Provider(strings.SplitN(k, "|", 2)[0]), strings.SplitN(k, "|", 2)[1]); c != k {
			g.iface[c] = true
		}
	}
	g.indexPolicies(rs)
	ipTargets := map[string]bool{}
	for _, r := range rs {
		if lb := r.Facts.LoadBalancer; lb != nil {
			for _, l := range lb.Listeners {
				for _, f := range l.Forwards {
					if a, err := netip.ParseAddr(f.Target); err == nil && r.Provider == resource.AWS {
						ipTargets[string(r.Provider)+"|"+a.String()] = true
					}
				}
			}
		}
	}
	if len(ipTargets) > 0 {
		g.indexHolders(rs, ipTargets)
	}
	for _, r := range rs {
		if lb := r.Facts.LoadBalancer; lb != nil && !isPolicyGroup(r) {
			for _, l := range g.listeners(r) {
				for _, f := range l.Forwards {
					if f.Target == "" {
						continue // a target group whose targets are not known
					}
					fw := forward{lb: r, listener: l, Forward: f}
					k := g.canon(r.Provider, f.Target)
					if a, err := netip.ParseAddr(f.Target); err == nil && r.Provider == resource.AWS {
						t, outside := g.ipTargetHolder(r, a)
						if t == nil {
							continue // an address nothing of the inventory holds (a container, an on-premises host)
						}
						k, fw.ip, fw.outside = g.key(t.Provider, t.ID), true, outside
					} else if g.find(r.Provider, f.Target) == nil && g.byAddr[string(r.Provider)+"|"+f.Target] == nil {
						if arn, ok := lambdaARN(f.Target); ok {
							k = g.canon(r.Provider, arn)
						}
					}
					g.forwardedTo[k] = append(g.forwardedTo[k], fw)
				}
			}
		}
	}
	g.frontedBy = map[string][]front{}
	g.indexFronts(rs)
	g.targeted = map[*resource.Resource]bool{}
	mark := func(k string) {
		p, id, _ := strings.Cut(k, "|")
		// id is normID's already (which find's normID leaves as it is).
		if t := g.find(resource.Provider(p), id); t != nil {
			g.targeted[t] = true
		}
	}
	for k := range g.forwardedTo {
		if !g.iface[k] { // an interface's listeners reach its instance
			mark(k)
		}
	}
	for k := range g.frontedBy {
		mark(k)
	}
	return g
}

// canon is the key of the resource id names (through its aliases).
func (g *Graph) canon(p resource.Provider, id string) string {
	if t := g.find(p, id); t != nil {
		return g.key(t.Provider, t.ID)
	}
	if t := g.byAddr[string(p)+"|"+id]; t != nil { // a private address (a DNAT rule's translated address)
		return g.key(t.Provider, t.ID)
	}
	return g.key(p, id)
}

func (g *Graph) get(r *resource.Resource, id string) *resource.Resource {
	return g.find(r.Provider, id)
}

func targets(r *resource.Resource, typ string) []string {
	var out []string
	for _, rel := range r.Relationships {
		if rel.Type == typ && rel.TargetID != "" {
			out = append(out, rel.TargetID)
		}
	}
	return out
}

// families are the address families, by the source that means "anywhere".
var families = []struct{ name, any string }{{"ipv4", "0.0.0.0/0"}, {"ipv6", "::/0"}}

// protocols reachability reports on.
var protocols = []string{"tcp", "udp", "icmp"}

// answer accumulates one resource's exposure.
type answer struct {
	paths     []resource.ExposurePath
	undecided []string
	decided   bool // some point was evaluated to the end
}

func (a *answer) unknown(format string, args ...any) {
	a.undecided = append(a.undecided, fmt.Sprintf(format, args...))
}

func (a *answer) exposure() *resource.Exposure {
	c := &exposureCell{e: resource.Exposure{Paths: a.paths, Undecided: a.undecided}}
	slices.SortFunc(c.e.Paths, func(x, y resource.ExposurePath) int {
		return cmp.Or(cmp.Compare(x.Family, y.Family), cmp.Compare(x.Protocol, y.Protocol), cmp.Compare(x.FromPort, y.FromPort))
	})
	switch {
	case len(c.e.Paths) > 0:
		c.decide(true)
	case len(c.e.Undecided) == 0:
		c.decide(false)
	}
	return &c.e
}

// Exposure computes r's exposure to the internet.
func (g *Graph) Exposure(r *resource.Resource) *resource.Exposure {
	defer func(prev *resource.Resource) { g.cur = prev }(g.cur)
	g.cur = r
	var a answer
	switch {
	case r.Facts.LoadBalancer != nil:
		g.loadBalancer(r, &a)
	case r.Facts.Compute != nil:
		switch r.Provider {
		case resource.AWS:
			g.aws(r, &a)
		case resource.Azure:
			g.azure(r, &a)
		case resource.GCP:
			g.gcp(r, &a)
		}
	}
	for _, f := range g.forwards(r) {
		g.viaListener(r, f, &a)
	}
	if g.skipFronts == 0 {
		for _, f := range g.frontedBy[g.key(r.Provider, r.ID)] {
			g.viaFront(r, f, &a)
		}
	}
	return a.exposure()
}

// layer is one filter on the way in: what it lets through per family and
// protocol, and which rule lets each part through.
type layer map[[2]string][]contrib

type contrib struct {
	hop   resource.Hop
	ports set
}

func (l layer) allowed(fam, proto string) set {
	var s set
	for _, c := range l[[2]string{fam, proto}] {
		s = s.union(c.ports)
	}
	return s
}

// ruleMatches reports whether an enabled ingress rule matches traffic of
// proto from any address of family fam.
func ruleMatches(rl resource.FirewallRule, fam, anyAddr, proto string) bool {
	if rl.Direction != "ingress" || rl.Disabled {
		return false
	}
	p := rl.Protocol
	if p == "icmpv6" {
		p = "icmp"
	}
	if p != "all" && p != proto {
		return false
	}
	for _, s := range rl.Sources {
		if pf, err := netip.ParsePrefix(s); err == nil && pf.Bits() == 0 && pf.Addr().Is4() == (anyAddr == "0.0.0.0/0") {
			return true
		}
	}
	return false
}

func rulePorts(rl resource.FirewallRule, proto string) set {
	if proto == "icmp" {
		return full
	}
	return set{{rl.FromPort, rl.ToPort}}
}

func ruleText(fw *resource.Resource, rl resource.FirewallRule, anyAddr string) string {
	ports := strconv.Itoa(rl.FromPort)
	if rl.FromPort != rl.ToPort {
		ports += "-" + strconv.Itoa(rl.ToPort)
	}
	s := fmt.Sprintf("%s: %s %s %s from %s", name(fw), rl.Action, rl.Protocol, ports, anyAddr)
	if rl.Priority != 0 {
		s += " (priority " + strconv.Itoa(rl.Priority) + ")"
	}
	return s
}

func name(r *resource.Resource) string {
	if r.Name != "" && r.Name != r.ID {
		return r.Name
	}
	return r.ID
}

// unionLayer: stateful allow-only firewalls (AWS security groups): what
// any rule of any of them allows.
func unionLayer(fws []*resource.Resource) layer {
	l := layer{}
	for _, fam := range families {
		for _, proto := range protocols {
			k := [2]string{fam.name, proto}
			for _, fw := range fws {
				for _, rl := range fw.Facts.Firewall.Rules {
					if rl.Action == "allow" && ruleMatches(rl, fam.name, fam.any, proto) {
						l[k] = append(l[k], contrib{resource.Hop{Resource: fw.ID, Allows: ruleText(fw, rl, fam.any)}, rulePorts(rl, proto)})
					}
				}
			}
		}
	}
	return l
}

type ordered struct {
	fw *resource.Resource
	rl resource.FirewallRule
	// level: GCP hierarchical firewall policies are evaluated level by
	// level (organization, folders, then the VPC's rules); a goto_next rule
	// passes its ports on to the next level.
	level int
}

// orderedRules lists the rules of fws in evaluation order: priority (rule
// number) ascending, deny before allow at one priority.
func orderedRules(fws []*resource.Resource) []ordered {
	var out []ordered
	for _, fw := range fws {
		for _, rl := range fw.Facts.Firewall.Rules {
			out = append(out, ordered{fw: fw, rl: rl})
		}
	}
	slices.SortStableFunc(out, func(a, b ordered) int {
		return cmp.Or(cmp.Compare(a.rl.Priority, b.rl.Priority), cmp.Compare(denyFirst(a.rl), denyFirst(b.rl)))
	})
	return out
}

func denyFirst(rl resource.FirewallRule) int {
	if rl.Action == "deny" {
		return 0
	}
	return 1
}

// orderedLayer: first-match firewalls (network ACLs, NSGs, GCP VPC
// firewall rules): each port goes the way of the first rule matching it;
// no match is denied.
func orderedLayer(rules []ordered) layer {
	l := layer{}
	for _, fam := range families {
		for _, proto := range protocols {
			k := [2]string{fam.name, proto}
			left, lvl := full, 0
			var pass set
			for _, o := range rules {
				if o.level != lvl {
					left, pass, lvl = left.union(pass), nil, o.level
				}
				if left.empty() && pass.empty() {
					break
				}
				if !ruleMatches(o.rl, fam.name, fam.any, proto) {
					continue
				}
				cov := left.intersect(rulePorts(o.rl, proto))
				if cov.empty() {
					continue
				}
				left = left.minus(cov)
				switch o.rl.Action {
				case "allow":
					l[k] = append(l[k], contrib{resource.Hop{Resource: o.fw.ID, Allows: ruleText(o.fw, o.rl, fam.any)}, cov})
				case "goto_next":
					pass = pass.union(cov)
				}
			}
		}
	}
	return l
}

// through adds to a the paths through the given first hops (public IP,
// route) and layers, for the families that route.
func (a *answer) through(fams map[string][]resource.Hop, layers []layer) {
	a.decided = true
	for _, fam := range families {
		first, ok := fams[fam.name]
		if !ok {
			continue
		}
		for _, proto := range protocols {
			s := full
			for _, l := range layers {
				s = s.intersect(l.allowed(fam.name, proto))
			}
			if len(s) == 0 {
				continue
			}
			// The hops of every range in one array, each path's clipped
			// (sliced once the array is done growing).
			var all []resource.Hop
			ends := make([]int, 0, len(s))
			for _, sp := range s {
				all = append(all, first...)
				for _, l := range layers {
					for _, c := range l[[2]string{fam.name, proto}] {
						if !c.ports.intersect(set{sp}).empty() {
							all = append(all, c.hop)
						}
					}
				}
				ends = append(ends, len(all))
			}
			start := 0
			for k, sp := range s {
				a.paths = append(a.paths, resource.ExposurePath{Protocol: proto, Family: fam.name, FromPort: sp.lo, ToPort: sp.hi, Hops: all[start:ends[k]:ends[k]]})
				start = ends[k]
			}
		}
	}
}

// firewalls resolves the firewalls named by ids; missing names the ones
// the inventory does not hold (or holds without rules).
func (g *Graph) firewalls(r *resource.Resource, ids []string, stateless bool) (fws []*resource.Resource, missing []string) {
	seen := map[string]bool{}
	for _, id := range ids {
		fw := g.get(r, id)
		switch {
		case fw == nil || fw.Facts.Firewall == nil:
			missing = append(missing, id)
		case seen[fw.ID] || (fw.Facts.Firewall.Stateless != nil && *fw.Facts.Firewall.Stateless) != stateless:
		case fw.Facts.Firewall.Rules == nil:
			missing = append(missing, id+" (rules unknown)")
		default:
			seen[fw.ID] = true
			fws = append(fws, fw)
		}
	}
	g.used(fws)
	return fws, missing
}

// attached returns the IDs of the firewalls applied to r: its own
// uses_firewall relationships and the firewalls naming it.
func (g *Graph) attached(p resource.Provider, r *resource.Resource, id string) []string {
	var ids []string
	if r != nil {
		ids = targets(r, resource.RelUsesFirewall)
	}
	for _, fw := range g.firewallOf[g.key(p, id)] {
		ids = append(ids, fw.ID)
	}
	return ids
}

// defaultRoutes returns, per family, the hop of a default route to the
// internet in tables that applies to a VM with the given network tags.
func defaultRoutes(tables []*resource.Resource, tags []string) map[string][]resource.Hop {
	out := map[string][]resource.Hop{}
	for _, t := range tables {
		for _, rt := range t.Facts.Routing.Routes {
			pf, err := netip.ParsePrefix(rt.Destination)
			if err != nil || pf.Bits() != 0 || rt.NextHop != "internet" {
				continue
			}
			if len(rt.Tags) > 0 && !slices.ContainsFunc(rt.Tags, func(t string) bool { return slices.Contains(tags, t) }) {
				continue
			}
			fam := "ipv4"
			if pf.Addr().Is6() {
				fam = "ipv6"
			}
			if out[fam] == nil {
				out[fam] = []resource.Hop{{Resource: t.ID, Allows: "route " + rt.Destination + " -> " + cmp.Or(rt.Target, "internet")}}
			}
		}
	}
	return out
}

func routing(rs []*resource.Resource, main bool) []*resource.Resource {
	var out []*resource.Resource
	for _, t := range rs {
		if t.Facts.Routing != nil && (!main || (t.Facts.Routing.Main != nil && *t.Facts.Routing.Main)) {
			out = append(out, t)
		}
	}
	return out
}

// interfaces resolves r's network interfaces.
func (g *Graph) interfaces(r *resource.Resource) (nics []*resource.Resource, missing []string) {
	for _, id := range targets(r, resource.RelUsesInterface) {
		if n := g.get(r, id); n != nil {
			nics = append(nics, n)
		} else {
			missing = append(missing, id)
		}
	}
	return nics, missing
}

func first(ids []string) string {
	if len(ids) == 0 {
		return ""
	}
	return ids[0]
}
