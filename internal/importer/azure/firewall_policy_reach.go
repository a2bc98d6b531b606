package azure

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Azure Firewall policies, read for reachability (internal/reach): a
// firewall whose rules are in a policy (firewallPolicy.id) takes its DNAT
// rules from the policy's rule collection groups, and from its base
// policy's before them.
const (
	TypeFirewallPolicy      = "Microsoft.Network/firewallPolicies"
	TypeFirewallPolicyGroup = "Microsoft.Network/firewallPolicies/ruleCollectionGroups"
	// RelBasePolicy: a firewall policy → the parent policy it inherits
	// rules from (evaluated first).
	RelBasePolicy = "base_policy"
	// RelHasRuleGroup: a firewall policy → one of its rule collection groups.
	RelHasRuleGroup = "has_rule_collection_group"
	// RelUsesPolicy: an Azure Firewall → its firewall policy.
	RelUsesPolicy = "uses_policy"
)

func init() {
	for t, n := range map[string]normalizer{TypeFirewallPolicy: firewallPolicy, TypeFirewallPolicyGroup: firewallPolicyGroup} {
		normalizers[t] = n
		canonical[strings.ToLower(t)] = t
	}
}

// firewallPolicy: basePolicy.id, ruleCollectionGroups[].id (the groups
// the policy holds: one not in the inventory leaves its firewalls'
// exposure undecided).
func firewallPolicy(r *resource.Resource, _, p node) {
	if !p.Present() {
		return
	}
	attr.Relate(r, RelBasePolicy, p.Ref("basePolicy"))
	groups, _ := p.Objs("ruleCollectionGroups")
	for _, g := range groups {
		attr.Relate(r, RelHasRuleGroup, g.S("id"))
	}
}

// firewallPolicyGroup: a rule collection group (properties.priority,
// ruleCollections[] with ruleCollectionType, priority, action.type and
// rules[]). Its DNAT rules (FirewallPolicyNatRuleCollection, ruleType
// NatRule: ipProtocols, sourceAddresses, destinationAddresses,
// destinationPorts, translatedAddress or translatedFqdn, translatedPort)
// from any address are kept as listeners forwarding to the translated
// address, in evaluation order, each Forward's Priority the group's
// priority then the collection's. A rule for narrower sources (or IP
// groups) neither opens nor closes. Network and application rules
// (FirewallPolicyFilterRuleCollection) filter traffic routed through the
// firewall; DNAT traffic is allowed by the DNAT rule itself, so they are
// not read for exposure.
func firewallPolicyGroup(r *resource.Resource, _, p node) {
	if !p.Present() {
		return
	}
	gprio := 0
	if v := p.I("priority"); v != nil {
		gprio = *v
	}
	lb := &resource.LoadBalancer{Listeners: []resource.Listener{}}
	colls, _ := p.Objs("ruleCollections")
	slices.SortStableFunc(colls, func(a, b node) int { return cmp.Compare(collPriority(a), collPriority(b)) })
	for _, c := range colls {
		if !strings.EqualFold(c.S("ruleCollectionType"), "FirewallPolicyNatRuleCollection") {
			continue
		}
		if t := c.S("action", "type"); t != "" && !strings.EqualFold(t, "Dnat") {
			continue
		}
		rules, _ := c.Objs("rules")
		for _, rl := range rules {
			if t := rl.S("ruleType"); t != "" && !strings.EqualFold(t, "NatRule") {
				continue
			}
			srcs, _ := rl.Strs("sourceAddresses")
			if !anySource(srcs) {
				continue // a narrower source neither opens nor closes
			}
			protos, _ := rl.Strs("ipProtocols")
			lb.Listeners = append(lb.Listeners, dnatListeners(rl, protos, cmp.Or(rl.S("translatedAddress"), rl.S("translatedFqdn")),
				resource.Forward{Via: r.ID + "/ruleCollections/" + c.S("name") + "/rules/" + rl.S("name"), Priority: gprio*100000 + collPriority(c)})...)
		}
	}
	r.Facts.LoadBalancer = lb
}
