package reach

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// GCP global and regional network firewall policies: a policy associated
// with a VM's network applies to it (a regional one in its region; its
// rules for target service accounts to those VMs). After the hierarchical
// policies, the network's networkFirewallPolicyEnforcementOrder decides:
// AFTER_CLASSIC_FIREWALL (the default) evaluates the VPC firewall rules,
// then the global network policy, then the regional one;
// BEFORE_CLASSIC_FIREWALL the global and regional policies, then the VPC
// rules. Each is a level: its first matching rule decides (allow and deny
// are final), goto_next or no match passes the traffic on; the implied
// rules come last. A network whose order is not in the inventory, or a
// rule for secure tags (which the model does not carry on VMs), is
// undecided.

const (
	relPolicyAfter   = "network_policy_after_vpc_rules"
	relPolicyBefore  = "network_policy_before_vpc_rules"
	relPolicyOf      = "network_policy_of"
	typeRegionPolicy = "compute.googleapis.com/RegionNetworkFirewallPolicy"
)

type netPolicy struct {
	r      *resource.Resource
	before *bool // nil: the network's order is not known
}

// indexNetPolicies indexes the network firewall policies by network key.
func (g *Graph) indexNetPolicies(r *resource.Resource) {
	for _, rel := range r.Relationships {
		var before *bool
		switch rel.Type {
		case relPolicyAfter:
			before = resource.Bool(false)
		case relPolicyBefore:
			before = resource.Bool(true)
		case relPolicyOf:
		default:
			continue
		}
		if r.Facts.Firewall == nil {
			return
		}
		if g.netPols == nil {
			g.netPols = map[string][]netPolicy{}
		}
		k := g.netKey(r.Provider, rel.TargetID)
		g.netPols[k] = append(g.netPols[k], netPolicy{r, before})
	}
}

// netPolicies: the network firewall policies applying to VM r in network
// net, global and regional, whether they come before the VPC rules; why
// says what cannot be decided.
func (g *Graph) netPolicies(r *resource.Resource, net string) (global, regional []*resource.Resource, before bool, why string) {
	ps := g.netPols[g.netKey(r.Provider, net)]
	if len(ps) == 0 {
		return nil, nil, false, ""
	}
	zone := r.Region
	if _, z, ok := strings.Cut(r.ID, "/zones/"); ok {
		zone, _, _ = strings.Cut(z, "/")
	}
	for _, p := range ps {
		f := p.r.Facts.Firewall
		if p.r.Type == typeRegionPolicy && p.r.Region != "" && zone != "" && zone != p.r.Region && !strings.HasPrefix(zone, p.r.Region+"-") {
			continue
		}
		if len(f.TargetServiceAccounts) > 0 && (r.Facts.Compute == nil || !slices.Contains(f.TargetServiceAccounts, r.Facts.Compute.Identity)) {
			continue
		}
		if len(f.TargetTags) > 0 {
			return nil, nil, false, fmt.Sprintf("%s: network firewall policy %s has rules for secure tags (%s), and the VM's secure tags are not in the inventory", r.ID, name(p.r), strings.Join(f.TargetTags, ", "))
		}
		if p.before == nil {
			return nil, nil, false, fmt.Sprintf("%s: the firewall policy enforcement order of network %s (networkFirewallPolicyEnforcementOrder) is not in the inventory, so whether network firewall policy %s comes before its VPC firewall rules is unknown", r.ID, net, name(p.r))
		}
		before = *p.before
		if p.r.Type == typeRegionPolicy {
			regional = append(regional, p.r)
		} else {
			global = append(global, p.r)
		}
	}
	return global, regional, before, ""
}

// composeRules lists, in evaluation order with their levels, the
// hierarchical levels' rules, then the VPC's rules and the network
// policies' in the network's order, then the defaults.
func composeRules(levels [][]*resource.Resource, vpc []ordered, global, regional []*resource.Resource, before bool, defaults []ordered) []ordered {
	var out []ordered
	lvl := 0
	add := func(rules []ordered) {
		if len(rules) == 0 {
			return
		}
		for _, o := range rules {
			o.level = lvl
			out = append(out, o)
		}
		lvl++
	}
	for _, ps := range levels {
		add(orderedRules(ps))
	}
	segs := [][]ordered{vpc, orderedRules(global), orderedRules(regional)}
	if before {
		segs = [][]ordered{orderedRules(global), orderedRules(regional), vpc}
	}
	for _, s := range segs {
		add(s)
	}
	add(defaults)
	return out
}

// netPolicyLayer is the exposure layer of a VM with network policies.
func (g *Graph) netPolicyLayer(levels [][]*resource.Resource, fws, global, regional []*resource.Resource, before bool) layer {
	var b strings.Builder
	b.WriteString("netpol|" + fmt.Sprint(before))
	for _, ps := range levels {
		b.WriteString("|level")
		for _, p := range ps {
			b.WriteString("|" + p.ID)
		}
	}
	for _, set := range [][]*resource.Resource{fws, global, regional} {
		b.WriteString("|set")
		for _, fw := range set {
			b.WriteString("|" + fw.ID)
		}
	}
	k := b.String()
	if l, ok := g.layers[k]; ok {
		return l
	}
	l := orderedLayer(composeRules(levels, orderedRules(fws), global, regional, before, nil))
	g.layers[k] = l
	return l
}
