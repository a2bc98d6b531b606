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
	for _, r := range f.res.Resources {
		if r.Type != TypeFirewallPolicy {
			continue
		}
		d := assetData(r)
		if d == nil {
			continue
		}
		if n := attr.Str(d, "shortName"); n != "" {
			r.Name = n
		} else if n := attr.Str(d, "displayName"); n != "" {
			r.Name = n
		}
		var targets []string
		for _, v := range attr.Arr(d, "associations") {
			if t := attr.Str(attr.AsObj(v), "attachmentTarget"); t != "" {
				targets = append(targets, t)
				attr.Relate(r, RelAttachedTo, t)
			}
		}
		byTargets := map[string]*resource.Resource{}
		r.Facts.Firewall = &resource.Firewall{Rules: []resource.FirewallRule{}, InUse: boolp(len(targets) > 0)}
		for _, v := range attr.Arr(d, "rules") {
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
