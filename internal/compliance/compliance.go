package compliance

import (
	"sort"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Rule is what the summary reads of a rule (its ID and Frameworks): the one
// rule info type the engine, the findings and the reports share.
type Rule = finding.RuleInfo

// RulesFrom returns the rules unchanged.
//
// Deprecated: pass the rules' finding.RuleInfo to Summarize directly.
func RulesFrom(infos []finding.RuleInfo) []Rule { return infos }

// Status is the outcome of one control.
type Status string

const (
	// Passed: every evaluated finding of every rule mapped to the control
	// passed (suppressed failures count as accepted, not failed).
	Passed Status = "PASSED"
	// Failed: at least one active failure.
	Failed Status = "FAILED"
	// NotEvaluated: vigil has rules for the control but they produced no
	// finding, or only UNKNOWN ones.
	NotEvaluated Status = "NOT_EVALUATED"
	// NotCovered: the control is in the benchmark catalogue but no vigil
	// rule maps to it; it must be checked manually.
	NotCovered Status = "NOT_COVERED"
)

// Control is the outcome of one framework control.
type Control struct {
	ID    string `json:"id"`
	Title string `json:"title,omitempty"`
	// Section and Assessment (Automated/Manual) come from the catalogue.
	Section    string `json:"section,omitempty"`
	Assessment string `json:"assessment,omitempty"`
	Status     Status `json:"status"`
	// Rules lists the vigil rules mapped to the control.
	Rules []string `json:"rules,omitempty"`
	finding.Counts
}

// FrameworkSummary is the compliance posture for one framework.
type FrameworkSummary struct {
	Framework string `json:"framework"`
	Name      string `json:"name"`
	// Catalogued is true when a full control catalogue was given, so
	// controls without rules are listed as NOT_COVERED.
	Catalogued   bool `json:"catalogued"`
	Passed       int  `json:"passed"`
	Failed       int  `json:"failed"`
	NotEvaluated int  `json:"not_evaluated"`
	NotCovered   int  `json:"not_covered"`
	// Score is passed / (passed + failed) controls in percent; nil when no
	// control was decided.
	Score    *float64  `json:"score"`
	Controls []Control `json:"controls"`
}

// frameworkNames are the human names of the framework keys rules use.
var frameworkNames = map[string]string{
	"cis-aws-7.0":    "CIS Amazon Web Services Foundations Benchmark v7.0.0",
	"cis-azure-6.0":  "CIS Microsoft Azure Foundations Benchmark v6.0.0",
	"cis-gcp-5.0":    "CIS Google Cloud Platform Foundation Benchmark v5.0.0",
	"soc2":           "SOC 2 Trust Services Criteria",
	"iso27001-2022":  "ISO/IEC 27001:2022 Annex A",
	"pci-dss-4.0":    "PCI DSS v4.0",
	"hipaa":          "HIPAA Security Rule (45 CFR 164)",
	"nist-800-53-r5": "NIST SP 800-53 Rev. 5",
	"gdpr":           "EU General Data Protection Regulation (GDPR)",
	"nist-csf-2.0":   "NIST Cybersecurity Framework 2.0",
	// Kubernetes manifests and Helm charts.
	"cis-kubernetes-1.10": "CIS Kubernetes Benchmark v1.10.0",
	"pss-baseline":        "Kubernetes Pod Security Standards: Baseline",
	"pss-restricted":      "Kubernetes Pod Security Standards: Restricted",
}

// FrameworkName returns the human name of a framework key, or the key.
func FrameworkName(key string) string {
	if n, ok := frameworkNames[key]; ok {
		return n
	}
	return key
}

// AppliesTo reports whether findings on a provider's resources count
// towards a framework: a cloud's CIS benchmark (cis-aws-*, cis-azure-*,
// cis-gcp-*) only concerns that cloud, other frameworks concern every cloud.
// A cross-cloud rule mapped to CIS AWS, Azure and GCP controls therefore
// decides each benchmark's control with its own cloud's resources only.
func AppliesTo(framework string, provider resource.Provider) bool {
	return finding.FrameworkAppliesTo(framework, provider)
}

// Summarize computes, for each framework key present in the rules' metadata
// (and each catalogue given), the status of every control. A finding counts
// towards a control through its rule: the findings of every rule mapped to
// the control decide it, counting for a cloud's CIS benchmark only that
// cloud's resources (see AppliesTo). Catalogues are optional; when one is given for a
// framework, its controls that no rule maps to are listed as NOT_COVERED and
// controls are listed in catalogue order.
func Summarize(rules []Rule, findings []finding.Finding, catalogues ...*Catalogue) []FrameworkSummary {
	return SummarizeWith(rules, findings, nil, catalogues...)
}

// SummarizeWith summarizes findings and the PASS findings held in passes
// (nil for none) as Summarize does their merge.
func SummarizeWith(rules []Rule, findings []finding.Finding, passes *finding.Passes, catalogues ...*Catalogue) []FrameworkSummary {
	// rule -> provider -> counts
	byRule := map[string]map[resource.Provider]*finding.Counts{}
	add := func(f *finding.Finding) {
		m := byRule[f.RuleID]
		if m == nil {
			m = map[resource.Provider]*finding.Counts{}
			byRule[f.RuleID] = m
		}
		c := m[f.Resource.Provider]
		if c == nil {
			c = &finding.Counts{}
			m[f.Resource.Provider] = c
		}
		c.Add(f)
	}
	for i := range findings {
		add(&findings[i])
	}
	for f := range passes.All() {
		add(f)
	}
	// framework -> control -> rule IDs
	mapped := map[string]map[string][]string{}
	for _, r := range rules {
		for fw, ctrls := range r.Frameworks {
			if mapped[fw] == nil {
				mapped[fw] = map[string][]string{}
			}
			for _, c := range ctrls {
				c = strings.TrimSpace(c)
				if c == "" || contains(mapped[fw][c], r.ID) {
					continue
				}
				mapped[fw][c] = append(mapped[fw][c], r.ID)
			}
		}
	}
	cats := map[string]*Catalogue{}
	for _, c := range catalogues {
		if c != nil {
			cats[c.Framework] = c
		}
	}
	keys := make([]string, 0, len(mapped)+len(cats))
	for k := range mapped {
		keys = append(keys, k)
	}
	for k := range cats {
		if _, ok := mapped[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)

	out := make([]FrameworkSummary, 0, len(keys))
	for _, fw := range keys {
		fs := FrameworkSummary{Framework: fw, Name: FrameworkName(fw), Controls: []Control{}}
		decide := func(c *Control) {
			for _, rid := range c.Rules {
				for p, rc := range byRule[rid] {
					if AppliesTo(fw, p) {
						c.Counts.Merge(*rc)
					}
				}
			}
			c.Status = controlStatus(c)
		}
		seen := map[string]bool{}
		if cat := cats[fw]; cat != nil {
			fs.Catalogued = true
			if cat.Name != "" {
				fs.Name = cat.Name
			}
			for _, cc := range cat.Controls {
				c := Control{ID: cc.ID, Title: cc.Title, Section: cc.Section, Assessment: cc.Assessment}
				seen[cc.ID] = true
				if rs := mapped[fw][cc.ID]; len(rs) > 0 {
					c.Rules = sorted(rs)
					decide(&c)
				} else {
					c.Status = NotCovered
				}
				fs.Controls = append(fs.Controls, c)
			}
		}
		var extra []Control
		for id, rs := range mapped[fw] {
			if seen[id] {
				continue
			}
			c := Control{ID: id, Rules: sorted(rs)}
			decide(&c)
			extra = append(extra, c)
		}
		sort.Slice(extra, func(i, j int) bool { return ControlLess(extra[i].ID, extra[j].ID) })
		fs.Controls = append(fs.Controls, extra...)
		for _, c := range fs.Controls {
			switch c.Status {
			case Passed:
				fs.Passed++
			case Failed:
				fs.Failed++
			case NotEvaluated:
				fs.NotEvaluated++
			case NotCovered:
				fs.NotCovered++
			}
		}
		if fs.Passed+fs.Failed > 0 {
			s := float64(fs.Passed) * 100 / float64(fs.Passed+fs.Failed)
			s = float64(int(s*10+0.5)) / 10
			fs.Score = &s
		}
		out = append(out, fs)
	}
	return out
}

func controlStatus(c *Control) Status {
	switch {
	case c.Fail > 0:
		return Failed
	case c.Pass > 0 || c.Suppressed > 0:
		return Passed
	}
	return NotEvaluated
}

// ControlLess orders control IDs naturally: "1.10" after "1.9",
// "CC6.10" after "CC6.2", "164.312(a)(1)" before "164.312(b)".
func ControlLess(a, b string) bool {
	ta, tb := tokens(a), tokens(b)
	for i := 0; i < len(ta) && i < len(tb); i++ {
		x, y := ta[i], tb[i]
		nx, ex := strconv.Atoi(x)
		ny, ey := strconv.Atoi(y)
		switch {
		case ex == nil && ey == nil:
			if nx != ny {
				return nx < ny
			}
		case x != y:
			return x < y
		}
	}
	if len(ta) != len(tb) {
		return len(ta) < len(tb)
	}
	return a < b
}

// tokens splits a control ID into runs of digits and runs of other characters.
func tokens(s string) []string {
	var out []string
	start := 0
	for i := 1; i <= len(s); i++ {
		if i == len(s) || isDigit(s[i]) != isDigit(s[i-1]) {
			out = append(out, s[start:i])
			start = i
		}
	}
	return out
}

func isDigit(b byte) bool { return b >= '0' && b <= '9' }

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
