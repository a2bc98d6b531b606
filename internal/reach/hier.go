package reach

import (
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
)

// GCP hierarchical firewall policies: a policy associated with the
// organization or a folder applies to every VM below it (its rules limited
// to some networks or service accounts, to those). They are evaluated
// before the VPC's firewall rules, the organization's first, then each
// folder's from the top down: the first matching rule of a level decides
// (allow and deny are final), a goto_next rule or no match passes the
// traffic on to the next level, the VPC's rules last, then the implied
// rules.

// relAttachedTo is what the GCP importer relates a policy to.
const relAttachedTo = "attached_to"

// isPolicy reports whether r is a hierarchical firewall policy (or a part
// of one with its targets).
func isPolicy(r *resource.Resource) bool {
	return r.Provider == resource.GCP && r.Facts.Firewall != nil && len(targets(r, relAttachedTo)) > 0
}

// hierLevels returns the policies that apply to VM r, one level per node
// of its hierarchy, the organization's first; undecided says why it cannot
// be told.
func (g *Graph) hierLevels(r *resource.Resource) (levels [][]*resource.Resource, undecided string) {
	if len(g.gcpPolicies) == 0 {
		return nil, ""
	}
	// The chain of r's ancestors, nearest first: its project, folders,
	// the organization.
	var chain []*resource.Resource
	top := ""
	for n, id := r, first(targets(r, "contained_in")); id != "" && len(chain) < 32; {
		p := g.get(n, id)
		if p == nil || slices.Contains(chain, p) {
			top = id
			break
		}
		chain = append(chain, p)
		n, id = p, first(targets(p, resource.RelChildOf))
	}
	if top == "" && (len(chain) == 0 || chain[len(chain)-1].Facts.OrgUnit == nil || chain[len(chain)-1].Facts.OrgUnit.Kind != "organization") {
		if len(chain) > 0 {
			top = chain[len(chain)-1].ID
		} else {
			top = "its project"
		}
	}
	byNode := map[*resource.Resource][]*resource.Resource{}
	for _, p := range g.gcpPolicies {
		if nets := targets(p, resource.RelInNetwork); len(nets) > 0 && !slices.ContainsFunc(nets, func(n string) bool {
			return g.canon(p.Provider, n) == g.canon(r.Provider, first(targets(r, resource.RelInNetwork)))
		}) {
			continue
		}
		if sas := p.Facts.Firewall.TargetServiceAccounts; len(sas) > 0 && (r.Facts.Compute == nil || !slices.Contains(sas, r.Facts.Compute.Identity)) {
			continue
		}
		for _, at := range targets(p, relAttachedTo) {
			t := g.get(p, at)
			switch {
			case t != nil && slices.Contains(chain, t):
				byNode[t] = append(byNode[t], p)
			case top != "":
				return nil, fmt.Sprintf("%s: the resource hierarchy above %s is not in the inventory, so whether hierarchical firewall policy %s (attached to %s) applies is unknown", r.ID, strings.TrimPrefix(top, "//cloudresourcemanager.googleapis.com/"), name(p), at)
			}
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if ps := byNode[chain[i]]; len(ps) > 0 {
			levels = append(levels, ps)
		}
	}
	return levels, ""
}

// hierRules lists the rules of the levels, then the VPC's (and defaults),
// each with its level, in evaluation order.
func hierRules(levels [][]*resource.Resource, vpc []ordered) []ordered {
	var out []ordered
	for i, ps := range levels {
		for _, o := range orderedRules(ps) {
			o.level = i
			out = append(out, o)
		}
	}
	for _, o := range vpc {
		o.level = len(levels)
		out = append(out, o)
	}
	return out
}

// hierLayer is the layer of the levels and the VPC's firewalls fws.
func (g *Graph) hierLayer(levels [][]*resource.Resource, fws []*resource.Resource) layer {
	var b strings.Builder
	b.WriteString("hier")
	for _, ps := range levels {
		b.WriteString("|level")
		for _, p := range ps {
			b.WriteString("|" + p.ID)
		}
	}
	b.WriteString("|vpc")
	for _, fw := range fws {
		b.WriteString("|" + fw.ID)
	}
	k := b.String()
	if l, ok := g.layers[k]; ok {
		return l
	}
	l := orderedLayer(hierRules(levels, orderedRules(fws)))
	g.layers[k] = l
	return l
}
