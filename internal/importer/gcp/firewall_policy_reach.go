package gcp

import (
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// TypeFirewallPolicy is a hierarchical firewall policy, read for
// reachability (internal/reach).
const TypeFirewallPolicy = "compute.googleapis.com/FirewallPolicy"

// RelAttachedTo: a hierarchical firewall policy → the organization or
// folder it is associated with (associations[].attachmentTarget).
const RelAttachedTo = "attached_to"

// firewallPolicies reads the hierarchical firewall policies of the file
// (the Compute Engine FirewallPolicy shape: rules[] with priority,
// direction, action allow / deny / goto_next, match.srcIpRanges,
// match.layer4Configs[] {ipProtocol, ports}, targetResources,
// targetServiceAccounts, disabled; associations[].attachmentTarget). The
// policy keeps its rules for every VM (Firewall facts, kind
// "hierarchical" through RelAttachedTo); the rules limited to some
// networks or service accounts go to one more resource per set of targets
// (ID <policy>#targets-N, related to the policy with part_of, to the
// networks with in_network, the service accounts as
// TargetServiceAccounts). Policies are class other: the open-firewall
// rules judge VPC firewall rules.
func (f *file) firewallPolicies() {
	var parts []*resource.Resource
	order := f.enforcementOrders()
	for _, r := range f.res.Resources {
		if r.Type != TypeFirewallPolicy && r.Type != TypeNetworkFirewallPolicy && r.Type != TypeRegionNetworkFirewallPolicy {
			continue
		}
		d := assetData(r)
		if !d.present() {
			continue
		}
		if r.Type != TypeFirewallPolicy {
			parts = append(parts, networkPolicy(r, d, order)...)
			continue
		}
		if n := d.lstr("shortName"); n != "" {
			r.Name = n
		} else if n := d.lstr("displayName"); n != "" {
			r.Name = n
		}
		var targets []string
		for _, v := range d.larr("associations") {
			if t := attr.Str(attr.AsObj(v), "attachmentTarget"); t != "" {
				targets = append(targets, t)
				attr.Relate(r, RelAttachedTo, t)
			}
		}
		byTargets := map[string]*resource.Resource{}
		r.Facts.Firewall = &resource.Firewall{Rules: []resource.FirewallRule{}, InUse: boolp(len(targets) > 0)}
		for _, v := range d.larr("rules") {
			rl := attr.AsObj(v)
			nets := strs(attr.Arr(rl, "targetResources"))
			sas := strs(attr.Arr(rl, "targetServiceAccounts"))
			owner := r
			if len(nets)+len(sas) > 0 {
				key := strings.Join(nets, ",") + "|" + strings.Join(sas, ",")
				if owner = byTargets[key]; owner == nil {
					owner = &resource.Resource{Provider: resource.GCP, Type: TypeFirewallPolicy, ID: r.ID + "#targets-" + strconv.Itoa(len(byTargets)+1),
						Name: r.Name, Account: r.Account, Region: r.Region, Source: r.Source, Class: resource.ClassOther,
						Facts: resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{}, TargetServiceAccounts: sas, InUse: boolp(len(targets) > 0)}}}
					attr.Relate(owner, "part_of", r.ID)
					for _, t := range targets {
						attr.Relate(owner, RelAttachedTo, t)
					}
					for _, n := range nets {
						attr.Relate(owner, resource.RelInNetwork, n)
					}
					byTargets[key] = owner
					parts = append(parts, owner)
				}
			}
			owner.Facts.Firewall.Rules = append(owner.Facts.Firewall.Rules, policyRules(rl)...)
		}
	}
	f.res.Resources = append(f.res.Resources, parts...)
	for _, p := range parts {
		f.res.AddUnsupported(p) // read for reachability, judged by no rule
	}
}

func strs(vs []any) []string {
	var out []string
	for _, v := range vs {
		if s, ok := v.(string); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// policyRules converts one hierarchical policy rule to firewall rules,
// one per protocol and port range.
func policyRules(rl attr.M) []resource.FirewallRule {
	dir := "ingress"
	if strings.EqualFold(attr.Str(rl, "direction"), "EGRESS") {
		dir = "egress"
	}
	action := strings.ToLower(attr.Str(rl, "action"))
	if action == "apply_security_profile_group" {
		action = "allow" // allowed, after inspection
	}
	key := "srcIpRanges"
	if dir == "egress" {
		key = "destIpRanges"
	}
	sources := resource.NormSources(strs(attr.Arr(rl, "match", key)))
	prio := 0
	if p := attr.Int(rl, "priority"); p != nil {
		prio = *p
	}
	disabled := attr.Bool(rl, "disabled")
	var out []resource.FirewallRule
	for _, v := range attr.Arr(rl, "match", "layer4Configs") {
		l4 := attr.AsObj(v)
		proto := resource.NormProtocol(attr.Str(l4, "ipProtocol"))
		ports := strs(attr.Arr(l4, "ports"))
		if len(ports) == 0 {
			ports = []string{""}
		}
		for _, p := range ports {
			from, to, good := resource.ParsePortRange(p)
			if !good {
				continue
			}
			out = append(out, resource.FirewallRule{Direction: dir, Action: action, Protocol: proto, FromPort: from, ToPort: to,
				Sources: sources, Priority: prio, Disabled: disabled != nil && *disabled})
		}
	}
	return out
}

// Global and regional network firewall policies (Cloud Asset
// compute.googleapis.com/NetworkFirewallPolicy and
// RegionNetworkFirewallPolicy, the same FirewallPolicy shape) apply to the
// networks they are associated with (associations[].attachmentTarget, a
// network URL); a regional one to the VMs of its region. Where they stand
// relative to the network's VPC firewall rules is the network's
// networkFirewallPolicyEnforcementOrder (AFTER_CLASSIC_FIREWALL, the
// default when absent, or BEFORE_CLASSIC_FIREWALL), read from the
// network's asset in the same file: the relationship says it.
const (
	TypeNetworkFirewallPolicy       = "compute.googleapis.com/NetworkFirewallPolicy"
	TypeRegionNetworkFirewallPolicy = "compute.googleapis.com/RegionNetworkFirewallPolicy"
	// RelPolicyAfterVPC / RelPolicyBeforeVPC: a network firewall policy →
	// a network whose VPC firewall rules are evaluated before it (after
	// it); RelPolicyOfNetwork when the network's order is not in the file.
	RelPolicyAfterVPC  = "network_policy_after_vpc_rules"
	RelPolicyBeforeVPC = "network_policy_before_vpc_rules"
	RelPolicyOfNetwork = "network_policy_of"
)

// netPath is the projects/... part of a network's name or URL.
func netPath(s string) string {
	if i := strings.Index(s, "projects/"); i >= 0 {
		return s[i:]
	}
	return s
}

// enforcementOrders: each network of the file (projects/... path) → its
// networkFirewallPolicyEnforcementOrder, AFTER_CLASSIC_FIREWALL when absent.
func (f *file) enforcementOrders() map[string]string {
	out := map[string]string{}
	for _, r := range f.res.Resources {
		if r.Type != TypeNetwork {
			continue
		}
		d := assetData(r)
		if !d.present() {
			continue
		}
		o := strings.ToUpper(d.lstr("networkFirewallPolicyEnforcementOrder"))
		if o == "" {
			o = "AFTER_CLASSIC_FIREWALL"
		}
		out[netPath(r.ID)] = o
		if self := d.lstr("selfLink"); self != "" {
			out[netPath(self)] = o
		}
	}
	return out
}

// networkPolicy reads a network firewall policy: its rules (those for
// target service accounts or secure tags in parts of their own, the
// secure tags as TargetTags "tagValues/..."), related to its networks.
func networkPolicy(r *resource.Resource, d node, order map[string]string) []*resource.Resource {
	if n := d.lstr("name"); n != "" {
		r.Name = n
	}
	if reg := d.lstr("region"); reg != "" && r.Region == "" {
		r.Region = reg[strings.LastIndex(reg, "/")+1:]
	}
	type assoc struct{ rel, net string }
	var nets []assoc
	for _, v := range d.larr("associations") {
		t := attr.Str(attr.AsObj(v), "attachmentTarget")
		if t == "" {
			continue
		}
		rel := RelPolicyOfNetwork
		switch order[netPath(t)] {
		case "AFTER_CLASSIC_FIREWALL":
			rel = RelPolicyAfterVPC
		case "BEFORE_CLASSIC_FIREWALL":
			rel = RelPolicyBeforeVPC
		}
		nets = append(nets, assoc{rel, t})
	}
	relate := func(x *resource.Resource) {
		for _, a := range nets {
			attr.Relate(x, a.rel, a.net)
		}
	}
	relate(r)
	var parts []*resource.Resource
	byTargets := map[string]*resource.Resource{}
	r.Facts.Firewall = &resource.Firewall{Rules: []resource.FirewallRule{}, InUse: boolp(len(nets) > 0)}
	for _, v := range d.larr("rules") {
		rl := attr.AsObj(v)
		sas := strs(attr.Arr(rl, "targetServiceAccounts"))
		var tags []string
		for _, t := range attr.Arr(rl, "targetSecureTags") {
			if n := attr.Str(attr.AsObj(t), "name"); n != "" {
				tags = append(tags, n)
			}
		}
		owner := r
		if len(sas)+len(tags) > 0 {
			key := strings.Join(sas, ",") + "|" + strings.Join(tags, ",")
			if owner = byTargets[key]; owner == nil {
				owner = &resource.Resource{Provider: resource.GCP, Type: r.Type, ID: r.ID + "#targets-" + strconv.Itoa(len(byTargets)+1),
					Name: r.Name, Account: r.Account, Region: r.Region, Source: r.Source, Class: resource.ClassOther,
					Facts: resource.Facts{Firewall: &resource.Firewall{Rules: []resource.FirewallRule{}, TargetServiceAccounts: sas, TargetTags: tags, InUse: boolp(len(nets) > 0)}}}
				attr.Relate(owner, "part_of", r.ID)
				relate(owner)
				byTargets[key] = owner
				parts = append(parts, owner)
			}
		}
		owner.Facts.Firewall.Rules = append(owner.Facts.Firewall.Rules, policyRules(rl)...)
	}
	return parts
}
