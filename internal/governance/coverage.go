package governance

import (
	"cmp"
	"slices"
	"strings"

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
	if len(p.tagging) == 0 {
		return nil
	}
	type key struct{ provider, account string }
	accounts, owners := map[key]*finding.TagCoverageRow{}, map[string]*finding.TagCoverageRow{}
	c := &finding.TagCoverage{Policy: p.File, OwnerTag: p.OwnerTag}
	var buf []byte
	for _, r := range rs {
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
		a := accounts[ak]
		if a == nil {
			a = &finding.TagCoverageRow{Provider: ak.provider, Account: ak.account}
			accounts[ak] = a
		}
		o := owners[owner]
		if o == nil {
			o = &finding.TagCoverageRow{Owner: owner}
			owners[owner] = o
		}
		for _, row := range []*finding.TagCoverageRow{&c.Total, a, o} {
			row.Resources++
			if ok {
				row.Compliant++
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
// resource with its data class. Apply must have run on rs.
func Raise(fs []finding.Finding, rs []*resource.Resource) {
	labels := map[string]string{}
	sensitive := map[string]bool{}
	for _, r := range rs {
		d := r.Facts.Data
		if d == nil || d.Classified == nil || !*d.Classified {
			continue
		}
		labels[r.ID] = DataLabel(d)
		sensitive[r.ID] = Sensitive(d.Sensitivity, d.Categories)
	}
	if len(labels) == 0 {
		return
	}
	for i := range fs {
		f := &fs[i]
		l, ok := labels[f.Resource.ID]
		if !ok {
			continue
		}
		f.DataClass = l
		if f.Status != finding.Fail || !sensitive[f.Resource.ID] || f.Severity == finding.Critical {
			continue
		}
		if f.BaseSeverity == "" {
			f.BaseSeverity = f.Severity
		}
		f.Severity = f.Severity.Step(1)
	}
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
