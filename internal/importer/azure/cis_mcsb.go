package azure

import (
	"context"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
	"github.com/vigil-sec/vigil/internal/resource"
)

// The Microsoft Cloud Security Benchmark's policies (CIS Azure 6.0
// 8.1.11): Defender for Cloud assigns the MCSB initiative (policy set
// definition 1f3afdf9-d0c9-4c3d-847f-89da613e70a8, the assignment
// SecurityCenterBuiltIn) to each subscription; a policy of it is turned
// off by setting its effect parameter to "Disabled" in the assignment's
// properties.parameters ({"<name>": {"value": "Disabled"}}), or by a
// policyEffect override whose value is "Disabled". Assignments are rows of
// Resource Graph's PolicyResources table (type
// microsoft.authorization/policyassignments; `vigil collect` writes them
// as policyresources.json) or `az policy assignment list` output, at the
// subscription, a resource group or a management group above it.
const (
	TypePolicyAssignment = "Microsoft.Authorization/policyAssignments"
	mcsbSetGUID          = "1f3afdf9-d0c9-4c3d-847f-89da613e70a8"
	policyAssignmentPath = "/providers/microsoft.authorization/policyassignments/"
)

func init() {
	noFactTypes(TypePolicyAssignment)
}

// mcsbAssignment is one assignment of the MCSB initiative.
type mcsbAssignment struct {
	scope      string   // lower-case
	disabled   []string // parameter names (and overrides) set to Disabled
	deprecated []string // the same, of policies the initiative has deprecated
}

// mcsbPolicies collects the policy assignments of the input.
type mcsbPolicies struct {
	rows        []*resource.Resource
	definition  *resource.Resource // the MCSB initiative's own definition, when the input holds it
	assignments []mcsbAssignment
	listed      map[string]bool // lower-case subscription IDs whose assignments the input holds
	unreadable  map[string]bool // lower-case scopes of an MCSB assignment whose fields could not be read
}

func (m *mcsbPolicies) add(r *resource.Resource) {
	if r.Type == TypePolicyAssignment {
		m.rows = append(m.rows, r)
	}
	if isMCSBDefinition(r) {
		m.definition = r
	}
}

// assignmentScope is the scope an assignment ID is below.
func assignmentScope(id string) string {
	l := strings.ToLower(id)
	if i := strings.Index(l, policyAssignmentPath); i >= 0 {
		return strings.TrimRight(l[:i], "/")
	}
	return ""
}

// policyListingFile is the file vigil collect writes a subscription's
// policy assignments to (azure/<subscription>/policyresources.json), even
// when the subscription has none.
const policyListingFile = "policyresources.json"

// policyListingSuffix ends the ID of the marker addPolicyListing adds.
const policyListingSuffix = "/providers/microsoft.authorization/policyassignments"

// addPolicyListing adds, for a policyresources.json in a directory named
// after a subscription ID, a marker resource saying that the
// subscription's policy assignments were listed (they may be none of its
// own: an MCSB assignment of a management group above it is in the
// tenant's file); likewise for an nspassociations.json, the associations
// of the subscription's network security perimeters.
func addPolicyListing(ctx context.Context, res *attr.Result, path string) {
	base := filepath.Base(path)
	typ := ""
	switch {
	case strings.EqualFold(base, policyListingFile):
		typ = TypePolicyAssignment
	case strings.EqualFold(base, nspListingFile): // a subscription's perimeters' associations (cis_nsp.go)
		typ = TypeNSPAssociation
	default:
		return
	}
	sub := strings.ToLower(filepath.Base(filepath.Dir(path)))
	if !looksLikeGUID(sub) {
		return
	}
	_, name, _ := strings.Cut(typ, "/")
	marker := Parse(ctx, "", attr.M{"id": "/subscriptions/" + sub + "/providers/" + typ,
		"name": name, "type": typ, "subscriptionId": sub})
	for _, r := range marker.Resources {
		r.Source = path
		if why, unsupported := marker.Unsupported[r.ID]; unsupported {
			if res.Unsupported == nil {
				res.Unsupported = map[string]string{}
			}
			res.Unsupported[r.ID] = why
		}
	}
	res.Resources = append(res.Resources, marker.Resources...)
}

// read reads the assignments' rows.
func (m *mcsbPolicies) read(read func(*resource.Resource) (node, func() bool)) {
	m.listed, m.unreadable = map[string]bool{}, map[string]bool{}
	var dep mcsbDeprecation
	if m.definition != nil {
		p, failed := read(m.definition)
		if d, ok := readMCSBDefinition(p); !failed() && ok {
			dep = d
		}
	}
	for _, r := range m.rows {
		if l := strings.ToLower(r.ID); strings.HasSuffix(l, policyListingSuffix) {
			if sub := SubscriptionOf(l); sub != "" && !strings.Contains(l, "/resourcegroups/") {
				m.listed[strings.ToLower(sub)] = true // addPolicyListing's marker
			}
			continue
		}
		p, failed := read(r)
		scope := strings.ToLower(strings.TrimRight(p.S("scope"), "/"))
		if scope == "" {
			scope = assignmentScope(r.ID)
		}
		if sub := SubscriptionOf(scope); sub != "" {
			m.listed[strings.ToLower(sub)] = true
		}
		def, _ := p.Str("policyDefinitionId")
		if !strings.HasSuffix(strings.ToLower(def), "/policysetdefinitions/"+mcsbSetGUID) {
			failed()
			continue
		}
		a := mcsbAssignment{scope: scope}
		params, _ := p.Obj("parameters")
		for k := range params.Map() {
			// values are of any type (lists of locations, numbers...)
			if v, _ := params.Lookup(k, "value"); v != nil {
				if s, isStr := v.(string); isStr && strings.EqualFold(s, "Disabled") {
					if dep.deprecatedParam(k) {
						a.deprecated = append(a.deprecated, k)
					} else {
						a.disabled = append(a.disabled, k)
					}
				}
			}
		}
		overrides, _ := p.Objs("overrides")
		for _, o := range overrides {
			if strings.EqualFold(o.S("kind"), "policyEffect") && strings.EqualFold(o.S("value"), "Disabled") {
				var refs []string
				sels, _ := o.Objs("selectors")
				for _, s := range sels {
					if strings.EqualFold(s.S("kind"), "policyDefinitionReferenceId") {
						in, _ := s.Strs("in")
						refs = append(refs, in...)
					}
				}
				var live, old []string
				for _, ref := range refs {
					if dep.deprecatedRef(ref) {
						old = append(old, ref)
					} else {
						live = append(live, ref)
					}
				}
				if len(refs) == 0 {
					live = []string{"every policy"}
				}
				if len(live) > 0 {
					a.disabled = append(a.disabled, "override: "+strings.Join(live, ", "))
				}
				if len(old) > 0 {
					a.deprecated = append(a.deprecated, "override: "+strings.Join(old, ", "))
				}
			}
		}
		if failed() {
			m.unreadable[scope] = true
			continue
		}
		sort.Strings(a.disabled)
		sort.Strings(a.deprecated)
		m.assignments = append(m.assignments, a)
	}
}

// set sets a subscription's MCSB facts: known when the input holds
// policy assignments of the subscription (Defender for Cloud's own MCSB
// assignment is one, so a listing without any is taken as not collected).
// groups are the lower-case management groups above the subscription.
func (m *mcsbPolicies) set(c *resource.AccountCIS, sub string, groups []string) {
	sub = strings.ToLower(sub)
	if !m.listed[sub] {
		return
	}
	scopes := map[string]bool{"/subscriptions/" + sub: true}
	for _, g := range groups {
		scopes[g] = true
	}
	for s := range m.unreadable {
		if scopes[s] || strings.HasPrefix(s, "/subscriptions/"+sub+"/") {
			return
		}
	}
	assigned := false
	var disabled, deprecated []string
	for _, a := range m.assignments {
		if !scopes[a.scope] {
			continue // a resource group's assignment covers part of the subscription only
		}
		assigned = true
		disabled = append(disabled, a.disabled...)
		deprecated = append(deprecated, a.deprecated...)
	}
	sort.Strings(disabled)
	sort.Strings(deprecated)
	c.MCSBAssigned = resource.Bool(assigned)
	c.MCSBPoliciesEnabled = resource.Bool(assigned && len(disabled) == 0)
	c.MCSBDisabledPolicies = slices.Compact(disabled)
	c.MCSBDisabledDeprecated = slices.Compact(deprecated)
}

// managementGroupsAbove lists the lower-case IDs of the management
// groups above a subscription, from the subscription's parent up through
// the groups' parents in the input.
func managementGroupsAbove(sub *resource.Resource, byID map[string]*resource.Resource) []string {
	var out []string
	parent := ""
	if sub.Facts.Account != nil {
		parent = sub.Facts.Account.Parent
	}
	for seen := map[string]bool{}; parent != "" && !seen[strings.ToLower(parent)]; {
		l := strings.ToLower(parent)
		seen[l] = true
		out = append(out, l)
		g := byID[l]
		if g == nil || g.Facts.OrgUnit == nil {
			break
		}
		parent = g.Facts.OrgUnit.Parent
	}
	return out
}
