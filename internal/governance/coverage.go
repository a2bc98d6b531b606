package governance

import (
	"cmp"
	"context"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
	"github.com/vigil-sec/vigil/internal/resource"
)

// OptIn is the opt-in rule set of the governance rules (custom.opt_in):
// a scan evaluates them only with a governance policy.
const OptIn = "governance"

// LeavesOut reports whether a governance rule has nothing to judge under
// this policy: the residency rules when it has no residency section, the
// unclassified-data-store rules when it has no classification, the
// required-tags rules when it has no tagging standard. Without them those
// rules would report every resource PASS or UNKNOWN for want of a policy.
func (p *Policy) LeavesOut(r *policy.Rule) bool {
	if r.OptIn != OptIn {
		return false
	}
	switch {
	case strings.HasPrefix(r.ID, "governance-residency-"):
		return len(p.residency) == 0
	case strings.HasPrefix(r.ID, "governance-unclassified-"):
		return len(p.classify) == 0
	case strings.HasPrefix(r.ID, "governance-required-tags-"):
		return len(p.tagging) == 0
	}
	return false
}

// Coverage summarizes the tagging standard over resources Apply has run
// on: how many resources a tagging rule selects and how many of them carry
// every required tag with an allowed value, in all, per account and per
// owner (the value of the policy's owner tag; "(no owner)" without it).
// It returns nil when the policy has no tagging standard.
func Coverage(p *Policy, rs []*resource.Resource) *finding.TagCoverage {
	return coverageOn(p, rs, runtime.GOMAXPROCS(0))
}

// coverageOn is Coverage on up to workers goroutines.
func coverageOn(p *Policy, rs []*resource.Resource, workers int) *finding.TagCoverage {
	if len(p.tagging) == 0 {
		return nil
	}
	type key struct{ provider, account string }
	type part struct {
		total    finding.TagCoverageRow
		accounts map[key]*finding.TagCoverageRow
		owners   map[string]*finding.TagCoverageRow
	}
	// Counted in chunks on every core, each worker into its own maps,
	// then summed.
	var mu sync.Mutex
	var parts []*part
	_ = chunked(context.Background(), len(rs), workers, func() func(lo, hi int) {
		pt := &part{accounts: map[key]*finding.TagCoverageRow{}, owners: map[string]*finding.TagCoverageRow{}}
		mu.Lock()
		parts = append(parts, pt)
		mu.Unlock()
		var buf []byte
		return func(lo, hi int) {
			for _, r := range rs[lo:hi] {
				t := r.Facts.Tagging
				if t == nil || !t.Selected {
					continue
				}
				ok := len(t.Missing) == 0 && len(t.Invalid) == 0
				owner := ""
				for k, v := range r.Tags {
					if buf = appendKey(buf[:0], k); string(buf) == p.ownerKey {
						owner = strings.TrimSpace(v)
						break
					}
				}
				if owner == "" {
					owner = "(no owner)"
				}
				ak := key{string(r.Provider), r.Account}
				a := pt.accounts[ak]
				if a == nil {
					a = &finding.TagCoverageRow{Provider: ak.provider, Account: ak.account}
					pt.accounts[ak] = a
				}
				o := pt.owners[owner]
				if o == nil {
					o = &finding.TagCoverageRow{Owner: owner}
					pt.owners[owner] = o
				}
				for _, row := range []*finding.TagCoverageRow{&pt.total, a, o} {
					row.Resources++
					if ok {
						row.Compliant++
					}
				}
			}
		}
	})
	c := &finding.TagCoverage{Policy: p.File, OwnerTag: p.OwnerTag}
	accounts, owners := map[key]*finding.TagCoverageRow{}, map[string]*finding.TagCoverageRow{}
	add := func(to, from *finding.TagCoverageRow) {
		to.Resources += from.Resources
		to.Compliant += from.Compliant
	}
	for _, pt := range parts {
		add(&c.Total, &pt.total)
		for k, row := range pt.accounts {
			if a := accounts[k]; a != nil {
				add(a, row)
			} else {
				accounts[k] = row
			}
		}
		for k, row := range pt.owners {
			if o := owners[k]; o != nil {
				add(o, row)
			} else {
				owners[k] = row
			}
		}
	}
	for _, a := range accounts {
		c.ByAccount = append(c.ByAccount, a.Done())
	}
	for _, o := range owners {
		c.ByOwner = append(c.ByOwner, o.Done())
	}
	c.Total = c.Total.Done()
	// Worst covered first, then by name.
	order := func(a, b finding.TagCoverageRow) int {
		return cmp.Or(cmp.Compare(a.Percent, b.Percent), cmp.Compare(a.Provider, b.Provider),
			cmp.Compare(a.Account, b.Account), cmp.Compare(a.Owner, b.Owner))
	}
	slices.SortFunc(c.ByAccount, order)
	slices.SortFunc(c.ByOwner, order)
	return c
}

// Raise raises the rank of the failing findings on sensitive resources
// (Sensitive: a confidential or restricted class, or a regulated
// category) by one severity step, at most to CRITICAL, keeping the rule's
// own severity in BaseSeverity, and labels every finding on a classified
// resource with its data class. The PASS findings held compactly in
// passes (nil for none) get their resources' data class in passes.Labels:
// a PASS finding is never raised, so that is all Raise changes in them.
// Apply must have run on rs.
func Raise(fs []finding.Finding, passes *finding.Passes, rs []*resource.Resource) {
	// The distinct data classes (a few), and each classified resource's
	// index among them.
	type class struct {
		label     string
		sensitive bool
	}
	type classKey struct {
		sensitivity string
		cats        *string // Apply shares one categories slice per set
		n           int
	}
	var classes []class
	index := map[classKey]int32{}
	of := make(map[string]int32, len(rs)/4)
	for _, r := range rs {
		d := r.Facts.Data
		if d == nil || d.Classified == nil || !*d.Classified {
			continue
		}
		k := classKey{d.Sensitivity, unsafe.SliceData(d.Categories), len(d.Categories)}
		c, ok := index[k]
		if !ok {
			c = int32(len(classes))
			classes = append(classes, class{DataLabel(d), Sensitive(d.Sensitivity, d.Categories)})
			index[k] = c
		}
		of[r.ID] = c
	}
	if len(of) == 0 {
		return
	}
	if passes != nil && len(passes.Refs) > 0 {
		passes.Labels = make([]string, len(passes.Refs))
		for i := range passes.Refs {
			if c, ok := of[passes.Refs[i].ID]; ok {
				passes.Labels[i] = classes[c].label
			}
		}
	}
	// The findings in chunks on every core (the maps are only read).
	_ = chunked(context.Background(), len(fs), runtime.GOMAXPROCS(0), func() func(lo, hi int) {
		return func(lo, hi int) {
			for i := lo; i < hi; i++ {
				f := &fs[i]
				c, ok := of[f.Resource.ID]
				if !ok {
					continue
				}
				cl := &classes[c]
				f.DataClass = cl.label
				if f.Status != finding.Fail || !cl.sensitive || f.Severity == finding.Critical {
					continue
				}
				if f.BaseSeverity == "" {
					f.BaseSeverity = f.Severity
				}
				f.Severity = f.Severity.Step(1)
			}
		}
	})
}

// DataLabel names a resource's data class: its sensitivity and regulated
// categories, e.g. "restricted (personal-data, health-data)".
func DataLabel(d *resource.Data) string {
	s := d.Sensitivity
	if s == "" {
		s = "unclassified"
	}
	if len(d.Categories) > 0 {
		s += " (" + strings.Join(d.Categories, ", ") + ")"
	}
	return s
}
