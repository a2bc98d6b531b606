package iac

import (
	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/policy"
)

// pointAtFields sets, on each failing finding whose resource's reader knows
// the lines its facts were read from (resource.Location.FactLines: the
// Kubernetes reader, in manifests and Helm templates), the line of the
// field of the first fact its rule requires that has one
// (resource.Location.Line), on the finding's own copy of the location: a
// finding about a container's privileged points at that line, in SARIF and
// JUnit, while the resource keeps its block's lines (ignore comments,
// tables).
func pointAtFields(findings []finding.Finding, rules []*policy.Rule) {
	var byID map[string]*policy.Rule
	for i := range findings {
		f := &findings[i]
		l := f.Resource.Location
		if f.Status != finding.Fail || l == nil || len(l.FactLines) == 0 {
			continue
		}
		if byID == nil {
			byID = make(map[string]*policy.Rule, len(rules))
			for _, r := range rules {
				byID[r.ID] = r
			}
		}
		if line := factLine(byID[f.RuleID], l.FactLines); line > 0 {
			c := *l
			c.Line = line
			f.Resource.Location = &c
		}
	}
}

// factLine is the line of the first fact rule r requires that lines has,
// 0 when none.
func factLine(r *policy.Rule, lines map[string]int) int {
	if r == nil {
		return 0
	}
	for _, alts := range r.Requires {
		for _, p := range alts {
			if n := lines[p]; n > 0 {
				return n
			}
		}
	}
	return 0
}
