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

// Azure Firewall policies: a firewall whose rules are in a firewall policy
// (relationship uses_policy) takes the DNAT rules of the policy's rule
// collection groups as listeners of its own, after its classic ones: the
// base policy's groups first (a child policy inherits them, evaluated
// before its own), then in each policy by the group's priority and the
// collection's (Forward.Priority). Of two rules for one protocol and port
// and public address the first decides (firstDNAT). A policy, base policy or listed rule collection group not in
// the inventory makes the firewall's exposure undecided. DNAT traffic is
// allowed by the DNAT rule itself: the network and application rules do
// not apply to it.

// isPolicyGroup: an Azure firewall policy's rule collection group, whose
// listeners belong to the firewalls using the policy.
func isPolicyGroup(r *resource.Resource) bool {
	return r.Provider == resource.Azure && strings.EqualFold(r.Type, "Microsoft.Network/firewallPolicies/ruleCollectionGroups")
}

// listeners: a load balancer's listeners, with a firewall's policy's.
func (g *Graph) listeners(r *resource.Resource) []resource.Listener {
	ls := r.Facts.LoadBalancer.Listeners
	if !isAzureFirewall(r) {
		return ls
	}
	if out, ok := g.dnat[r]; ok {
		return out
	}
	if pl := g.policyListeners[r]; len(pl) > 0 {
		ls = append(slices.Clip(ls), pl...)
	}
	if g.dnat == nil {
		g.dnat = map[*resource.Resource][]resource.Listener{}
	}
	g.dnat[r] = g.firstDNAT(r, ls)
	return g.dnat[r]
}

// indexPolicies resolves the DNAT rules of the firewall policies of rs's
// firewalls into g.policyListeners (or why not, g.policyUndecided).
func (g *Graph) indexPolicies(rs []*resource.Resource) {
	var fws []*resource.Resource
	groupsUnder := map[string][]*resource.Resource{}
	for _, r := range rs {
		if isPolicyGroup(r) && r.Facts.LoadBalancer != nil {
			if i := strings.Index(strings.ToLower(r.ID), "/rulecollectiongroups/"); i > 0 {
				k := g.key(r.Provider, r.ID[:i])
				groupsUnder[k] = append(groupsUnder[k], r)
			}
		}
		if r.Facts.LoadBalancer != nil && len(targets(r, "uses_policy")) > 0 {
			fws = append(fws, r)
		}
	}
	if len(fws) == 0 {
		return
	}
	g.policyListeners, g.policyUndecided = map[*resource.Resource][]resource.Listener{}, map[*resource.Resource]string{}
	for _, fw := range fws {
		ls, why := g.policyRules(fw, groupsUnder)
		if why != "" {
			g.policyUndecided[fw] = why
		}
		g.policyListeners[fw] = ls
	}
}

func (g *Graph) policyRules(fw *resource.Resource, groupsUnder map[string][]*resource.Resource) ([]resource.Listener, string) {
	var chain []*resource.Resource // the base policy first
	seen := map[*resource.Resource]bool{}
	for id := first(targets(fw, "uses_policy")); id != "" && len(chain) < 8; {
		p := g.get(fw, id)
		if p == nil {
			return nil, fmt.Sprintf("%s: its firewall policy %s is not in the inventory (its DNAT rules are unknown)", fw.ID, id)
		}
		if seen[p] {
			break // a cycle of base policies
		}
		seen[p] = true
		chain = append([]*resource.Resource{p}, chain...)
		id = first(targets(p, "base_policy"))
	}
	var out []resource.Listener
	for _, p := range chain {
		groups := groupsUnder[g.key(p.Provider, p.ID)]
		for _, gid := range targets(p, "has_rule_collection_group") {
			if gr := g.get(p, gid); gr == nil || gr.Facts.LoadBalancer == nil {
				return nil, fmt.Sprintf("%s: rule collection group %s of firewall policy %s is not in the inventory (its DNAT rules are unknown)", fw.ID, gid, name(p))
			}
		}
		var ls []resource.Listener
		for _, gr := range groups {
			ls = append(ls, gr.Facts.LoadBalancer.Listeners...)
		}
		slices.SortStableFunc(ls, func(a, b resource.Listener) int { return cmp.Compare(lprio(a), lprio(b)) })
		out = append(out, ls...)
	}
	return out, ""
}

// isAzureFirewall: an Azure Firewall, whose listeners are its DNAT rules.
func isAzureFirewall(r *resource.Resource) bool {
	return r.Provider == resource.Azure && strings.EqualFold(r.Type, "Microsoft.Network/azureFirewalls")
}

// firstDNAT keeps, of an Azure Firewall's DNAT rules in evaluation order
// (its classic rules, then its policy's), the first for each public
// address, protocol and port: a later rule for the same is shadowed and
// forwards nothing. A rule's address is its destination address
// (Listener.Frontend); with one public IP every rule is for it. With
// several, a rule whose destination is not recorded (or "*", or not an
// address) may be for any of them: it is kept and shadows nothing. A rule
// for an address that is none of the firewall's public IPs (all known)
// receives nothing from the internet.
func (g *Graph) firstDNAT(fw *resource.Resource, ls []resource.Listener) []resource.Listener {
	pips := targets(fw, resource.RelUsesPublicIP)
	var own map[netip.Addr]bool // the firewall's public addresses, when all are known
	for _, id := range pips {
		p := g.get(fw, id)
		if p == nil || p.Facts.Addressing == nil || len(p.Facts.Addressing.PublicIPs) == 0 {
			own = nil
			break
		}
		if own == nil {
			own = map[netip.Addr]bool{}
		}
		for _, s := range p.Facts.Addressing.PublicIPs {
			if a, err := netip.ParseAddr(s); err == nil {
				own[a.Unmap()] = true
			}
		}
	}
	taken := map[string]bool{}
	out := make([]resource.Listener, 0, len(ls))
	for _, l := range ls {
		dst := ""
		a, err := netip.ParseAddr(strings.TrimSuffix(l.Frontend, "/32"))
		if err == nil {
			dst = a.Unmap().String()
			if own != nil && !own[a.Unmap()] {
				continue // not one of its public addresses
			}
		}
		if len(pips) <= 1 {
			dst = "*"
		}
		if dst == "" {
			out = append(out, l)
			continue
		}
		k := dst + "|" + strings.ToUpper(l.Protocol) + "|" + strconv.Itoa(l.Port)
		if !taken[k] {
			taken[k] = true
			out = append(out, l)
		}
	}
	return out
}

func lprio(l resource.Listener) int {
	if len(l.Forwards) == 0 {
		return 0
	}
	return l.Forwards[0].Priority
}

// policyRuleText names a firewall policy's DNAT rule by its rule
// collection group, collection, rule and priorities.
func policyRuleText(f forward) string {
	parts := strings.Split(f.Via, "/")
	n := len(parts)
	if n < 6 {
		return "DNAT rule " + lastSegment(f.Via)
	}
	// .../ruleCollectionGroups/<group>/ruleCollections/<collection>/rules/<rule>
	return fmt.Sprintf("firewall policy DNAT rule %s (collection %s, priority %d, in rule collection group %s, priority %d)",
		parts[n-1], parts[n-3], f.Priority%100000, parts[n-5], f.Priority/100000)
}
