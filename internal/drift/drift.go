package drift

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/iac/tfmap"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Kind is what a drift finding says.
type Kind string

// Kinds of findings. Unmatched is not drift: an IaC resource that could
// not be compared, with the reason.
const (
	Unmanaged Kind = "unmanaged"
	Missing   Kind = "missing"
	Changed   Kind = "changed"
	Unmatched Kind = "unmatched"
)

// How an IaC resource was matched to the inventory (Finding.MatchedBy).
const (
	ByID   = "id"
	ByName = "name"
	// ByGrant matches a grant by its principal, role and scope.
	ByGrant = "grant"
)

// Finding is one difference between the IaC and the inventory.
type Finding struct {
	Kind     Kind             `json:"kind"`
	Severity finding.Severity `json:"severity"`
	// Category of a changed attribute: encryption, public-access,
	// network, iam, logging, versioning, data-protection or
	// configuration.
	Category string `json:"category,omitempty"`
	// Attribute is the fact that differs, as rules name it
	// (storage.encrypted, firewall.ingress, resource_policy).
	Attribute string `json:"attribute,omitempty"`
	// IaCValue and LiveValue are the attribute's values: what the IaC
	// defines and what the inventory holds.
	IaCValue  any `json:"iac_value,omitempty"`
	LiveValue any `json:"live_value,omitempty"`
	// Direction of a change: Weaker when the live value is less secure
	// than the IaC's (a guard removed, a port opened), Stricter when it
	// is more (ranked LOW: the next apply would weaken it), "" when the
	// fact does not tell (a list of attached policies).
	Direction string `json:"direction,omitempty"`
	// IaC is the IaC resource, with its location (file, lines, address);
	// nil for an unmanaged resource.
	IaC *resource.Ref `json:"iac,omitempty"`
	// Live is the inventory's resource; nil for a missing or unmatched one.
	Live *resource.Ref `json:"live,omitempty"`
	// MatchedBy says how IaC and Live were matched: ByID, ByName or ByGrant.
	MatchedBy string `json:"matched_by,omitempty"`
	// Reason says why an unmatched IaC resource was not compared.
	Reason  string `json:"reason,omitempty"`
	Message string `json:"message"`
}

// Options configure Compare.
type Options struct {
	// Accounts, Regions and Classes, when set, replace the scope of
	// unmanaged resources that Compare derives from the IaC (see Scope).
	Accounts []string
	Regions  []string
	Classes  []resource.Class
}

// Scope is where a resource of the inventory that no IaC defines is
// reported as unmanaged, for one provider: its accounts, regions (a
// global resource is in every region) and classes.
type Scope struct {
	Provider resource.Provider `json:"provider"`
	Accounts []string          `json:"accounts"`
	// Regions is empty when the IaC does not say: every region.
	Regions []string         `json:"regions"`
	Classes []resource.Class `json:"classes"`
	// Note says why unmanaged resources are not reported for the
	// provider ("" when they are).
	Note string `json:"note,omitempty"`
}

// Summary counts what was compared.
type Summary struct {
	IaCResources       int `json:"iac_resources"`
	InventoryResources int `json:"inventory_resources"`
	// NotCompared are IaC resources of no class vigil compares
	// (Kubernetes objects, resources kept only for derivation).
	NotCompared      int `json:"not_compared"`
	Matched          int `json:"matched"`
	MatchedByName    int `json:"matched_by_name"`
	ChangedResources int `json:"changed_resources"`
	Changed          int `json:"changed"`
	Missing          int `json:"missing"`
	Unmanaged        int `json:"unmanaged"`
	Unmatched        int `json:"unmatched"`
	// OutOfScope are inventory resources outside the unmanaged scope.
	OutOfScope int     `json:"out_of_scope"`
	Scope      []Scope `json:"scope"`
}

// Report is the result of Compare.
type Report struct {
	Findings []Finding `json:"findings"`
	Summary  Summary   `json:"summary"`
}

// Drifted reports whether a resource is unmanaged, missing or changed.
func (r *Report) Drifted() bool {
	return r.Summary.Changed+r.Summary.Missing+r.Summary.Unmanaged > 0
}

// compared reports whether an IaC or inventory resource is one drift
// compares: a cloud resource of a class rules judge.
func compared(r *resource.Resource) bool {
	switch r.Provider {
	case resource.AWS, resource.Azure, resource.GCP:
	default:
		return false
	}
	return r.Class != "" && r.Class != resource.ClassOther && !iacOnly[r.Type]
}

// iacOnly are the native types only the IaC readers give (launch templates
// and configurations, judged as the instances they launch; ElastiCache
// clusters outside a replication group): no export or collector holds
// them, so they are never missing.
var iacOnly = map[string]bool{
	"AWS::EC2::LaunchTemplate":              true,
	"AWS::AutoScaling::LaunchConfiguration": true,
	"AWS::ElastiCache::CacheCluster":        true,
}

// Compare matches the IaC resources with the inventory's and reports the
// drift. The IaC resources should keep their Raw attributes
// (inventory.Options.KeepRaw): a Terraform plan's or state's id, arn and
// self_link are how a deployed resource is found.
func Compare(iacRes, live []*resource.Resource, o Options) *Report {
	rep := &Report{Findings: []Finding{}}
	idx := newIndex(live)
	cov := newCoverage(live)
	matched := map[*resource.Resource]bool{}
	var pairs []pair
	for _, r := range iacRes {
		rep.Summary.IaCResources++
		if !compared(r) {
			rep.Summary.NotCompared++
			continue
		}
		m := idx.match(r)
		switch {
		case m.live != nil:
			matched[m.live] = true
			pairs = append(pairs, pair{iac: r, live: m.live})
			rep.Summary.Matched++
			if m.by == ByName {
				rep.Summary.MatchedByName++
			}
			diffs := compareFacts(r, m.live)
			if len(diffs) > 0 {
				rep.Summary.ChangedResources++
			}
			for _, d := range diffs {
				rep.add(changed(r, m.live, m.by, d))
			}
		case m.reason != "":
			rep.add(unmatched(r, m.reason))
		default:
			if why := cov.outside(r); why != "" {
				rep.add(unmatched(r, why))
				continue
			}
			rep.add(missing(r))
		}
	}
	scopes := deriveScopes(iacRes, pairs, o)
	for _, l := range live {
		rep.Summary.InventoryResources++
		if matched[l] || !compared(l) {
			continue
		}
		if !inScope(scopes, l) || builtIn(l) {
			rep.Summary.OutOfScope++
			continue
		}
		rep.add(unmanaged(l))
	}
	rep.Summary.Scope = scopes
	sortFindings(rep.Findings)
	return rep
}

type pair struct{ iac, live *resource.Resource }

func (rep *Report) add(f Finding) {
	switch f.Kind {
	case Changed:
		rep.Summary.Changed++
	case Missing:
		rep.Summary.Missing++
	case Unmanaged:
		rep.Summary.Unmanaged++
	case Unmatched:
		rep.Summary.Unmatched++
	}
	rep.Findings = append(rep.Findings, f)
}

func ref(r *resource.Resource) *resource.Ref {
	x := r.Ref()
	return &x
}

// iacRef is an IaC resource's identity, with the account its identifiers
// name when the reader left it empty.
func iacRef(r *resource.Resource) *resource.Ref {
	x := ref(r)
	if x.Account == "" {
		x.Account = accountOf(r)
	}
	return x
}

// where names an IaC resource for messages: file:line address.
func where(r *resource.Resource) string {
	l := r.Location
	if l == nil {
		return r.ID
	}
	s := l.File
	if l.StartLine > 0 {
		s += fmt.Sprintf(":%d", l.StartLine)
	}
	if l.Address != "" {
		s += " " + l.Address
	}
	return s
}

func changed(r, l *resource.Resource, by string, d diff) Finding {
	sev := severityOf(d.category)
	dir := ""
	switch d.direction {
	case Weaker:
		dir = ", weaker than the IaC"
	case Stricter:
		sev, dir = finding.Low, ", stricter than the IaC (the next apply would weaken it)"
	}
	return Finding{
		Kind: Changed, Severity: sev, Category: d.category, Attribute: d.path,
		IaCValue: d.iac, LiveValue: d.live, Direction: d.direction, IaC: iacRef(r), Live: ref(l), MatchedBy: by,
		Message: fmt.Sprintf("%s: %s is %s in the IaC, %s in the inventory%s%s", where(r), d.path, show(d.iac), show(d.live), dir, d.detail),
	}
}

func missing(r *resource.Resource) Finding {
	return Finding{
		Kind: Missing, Severity: finding.Medium, IaC: iacRef(r),
		Message: fmt.Sprintf("%s (%s %s) is defined in the IaC but not in the inventory", where(r), r.Type, r.Name),
	}
}

func unmanaged(l *resource.Resource) Finding {
	return Finding{
		Kind: Unmanaged, Severity: finding.Medium, Live: ref(l),
		Message: fmt.Sprintf("%s %s (%s, %s) is in the inventory but defined in no IaC", l.Type, l.Name, l.ID, accountRegion(l)),
	}
}

func unmatched(r *resource.Resource, why string) Finding {
	return Finding{
		Kind: Unmatched, Severity: finding.Info, IaC: iacRef(r), Reason: why,
		Message: fmt.Sprintf("%s (%s %s) not compared: %s", where(r), r.Type, r.Name, why),
	}
}

func accountRegion(r *resource.Resource) string {
	a, g := r.Account, r.Region
	if a == "" {
		a = "no account"
	}
	if g == "" {
		g = "no region"
	}
	return a + " " + g
}

// severityOf ranks a changed attribute by what it opens.
func severityOf(category string) finding.Severity {
	switch category {
	case catPublic, catNetwork, catIAM:
		return finding.High
	case catEncryption, catLogging:
		return finding.Medium
	}
	return finding.Low
}

var kindOrder = map[Kind]int{Changed: 0, Missing: 1, Unmanaged: 2, Unmatched: 3}

// sortFindings orders findings worst first, then by kind, resource and
// attribute, so the output is stable.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(b.Severity.Rank(), a.Severity.Rank()),
			cmp.Compare(kindOrder[a.Kind], kindOrder[b.Kind]),
			strings.Compare(sortKey(a), sortKey(b)),
			strings.Compare(a.Attribute, b.Attribute),
		)
	})
}

func sortKey(f Finding) string {
	if f.Live != nil {
		return f.Live.ID
	}
	if f.IaC != nil {
		return f.IaC.ID
	}
	return ""
}

// pending reports whether r is a resource a plan creates: its id is
// known only after apply.
func pending(r *resource.Resource) bool {
	_, u := r.Raw["id"].(tfmap.Unknown)
	return u
}
