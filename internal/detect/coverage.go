package detect

import (
	"context"
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/vigil-sec/vigil/internal/detect/attack"
	"github.com/vigil-sec/vigil/internal/logs"
	"github.com/vigil-sec/vigil/internal/sigma"
)

// CoverageCountingRule says how the coverage percentages are counted.
const CoverageCountingRule = "A platform's techniques are the ids the ATT&CK data lists on it, counted once each; a sub-technique whose parent is listed on the same platform rolls up into the parent (one unit: the parent with its listed sub-techniques), and a sub-technique whose parent is not listed there is a unit of its own. A unit is covered when a loaded rule or correlation tags any id of the unit, a sub-technique of it, or (for a sub-technique unit) its parent. The percentage is covered units over units."

// CoverageRule is what the coverage report needs of one loaded rule or
// correlation.
type CoverageRule struct {
	Title      string
	Path       string
	Source     string // "aws cloudtrail", "entra signin", ... (see coverageSource)
	Builtin    bool
	Techniques []string // upper-case technique ids from attack.t* tags
}

// CoverageRulesOf turns parsed rules and correlations into CoverageRules.
// A correlation's source is that of the rules it references (joined with
// "+" when they differ), or "correlation" when none resolves.
func CoverageRulesOf(rules []*sigma.Rule, corrs []*sigma.Correlation, builtin bool) []CoverageRule {
	bySrc := map[string]string{}
	var out []CoverageRule
	for _, r := range rules {
		src := coverageSource(r.LogSource)
		for _, k := range []string{r.ID, r.Name} {
			if k != "" {
				bySrc[k] = src
			}
		}
		out = append(out, CoverageRule{Title: r.Title, Path: r.Path, Source: src, Builtin: builtin, Techniques: techniqueTags(r.Tags)})
	}
	for _, c := range corrs {
		var srcs []string
		for _, ref := range c.Rules {
			if s, ok := bySrc[ref]; ok && !containsStr(srcs, s) {
				srcs = append(srcs, s)
			}
		}
		sort.Strings(srcs)
		src := strings.Join(srcs, "+")
		if src == "" {
			src = "correlation"
		}
		out = append(out, CoverageRule{Title: c.Title, Path: c.Path, Source: src, Builtin: builtin, Techniques: techniqueTags(c.Tags)})
	}
	return out
}

// coverageSource names a Sigma logsource as the coverage report groups it:
// the Coverage its log source's descriptor gives it (logs.Builtin), else
// its product, service and category.
func coverageSource(ls sigma.LogSource) string {
	if c := logs.Builtin().Coverage(ls.Product, ls.Service); c != "" {
		return c
	}
	parts := []string{}
	for _, p := range []string{ls.Product, ls.Service, ls.Category} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return "any"
	}
	return strings.Join(parts, " ")
}

// techniqueTags returns the upper-case technique ids of attack.t* tags.
func techniqueTags(tags []string) []string {
	var out []string
	for _, tag := range tags {
		t := strings.ToLower(strings.TrimSpace(tag))
		if !strings.HasPrefix(t, "attack.t") {
			continue
		}
		id := strings.ToUpper(strings.TrimPrefix(t, "attack."))
		if !containsStr(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// CoverageReport is the ATT&CK coverage of a set of loaded rules.
type CoverageReport struct {
	Attack struct {
		Version string `json:"version"`
		Source  string `json:"source"`
	} `json:"attack"`
	CountingRule string `json:"counting_rule"`
	Rules        struct {
		Loaded         int `json:"loaded"`
		Builtin        int `json:"builtin"`
		WithTechniques int `json:"with_techniques"`
	} `json:"rules"`
	Sources   []SourceCoverage   `json:"sources"`
	Platforms []PlatformCoverage `json:"platforms"`
	// IaaSAndIdP is the coverage of the union of the IaaS and Identity
	// Provider units.
	IaaSAndIdP CoverageFigure `json:"iaas_and_identity_provider"`
	// Unknown are technique tags that the ATT&CK data does not list (a typo,
	// an id from another ATT&CK version, or a technique of another platform).
	Unknown []UnknownTechnique `json:"unknown_techniques"`
}

// CoverageFigure counts covered units, by all loaded rules and by the
// built-in ones alone.
type CoverageFigure struct {
	Units          int     `json:"units"`
	Covered        int     `json:"covered"`
	Percent        float64 `json:"percent"`
	BuiltinCovered int     `json:"builtin_covered"`
	BuiltinPercent float64 `json:"builtin_percent"`
}

// SourceCoverage lists the techniques the rules of one log source tag.
type SourceCoverage struct {
	Source     string               `json:"source"`
	Rules      int                  `json:"rules"`
	Techniques []TechniqueRuleCount `json:"techniques"`
}

// TechniqueRuleCount is a technique and how many rules tag it.
type TechniqueRuleCount struct {
	ID    string `json:"id"`
	Name  string `json:"name,omitempty"`
	Rules int    `json:"rules"`
}

// PlatformCoverage is the coverage of one ATT&CK cloud platform.
type PlatformCoverage struct {
	attack.PlatformGroup
	CoverageFigure
	// NoData is set when the shipped ATT&CK data has no list for the platform.
	NoData            bool                 `json:"no_data,omitempty"`
	Uncovered         []attack.Technique   `json:"uncovered"`
	CoveredTechniques []TechniqueRuleCount `json:"covered_techniques"`
}

// UnknownTechnique is a tagged id missing from the ATT&CK data, with the
// rules that tag it.
type UnknownTechnique struct {
	ID    string   `json:"id"`
	Rules []string `json:"rules"`
}

// Coverage computes the ATT&CK coverage of rules against cat (see
// CoverageCountingRule).
func Coverage(cat *attack.Catalog, rules []CoverageRule) *CoverageReport {
	rep := &CoverageReport{CountingRule: CoverageCountingRule}
	rep.Attack.Version, rep.Attack.Source = cat.Version, cat.Source
	rep.Rules.Loaded = len(rules)
	all := map[string]int{}      // id -> rules tagging it
	builtin := map[string]bool{} // ids tagged by a built-in rule
	perSource := map[string]map[string]int{}
	srcRules := map[string]int{}
	unknown := map[string][]string{}
	for _, r := range rules {
		if r.Builtin {
			rep.Rules.Builtin++
		}
		if len(r.Techniques) > 0 {
			rep.Rules.WithTechniques++
		}
		srcRules[r.Source]++
		if perSource[r.Source] == nil {
			perSource[r.Source] = map[string]int{}
		}
		for _, id := range r.Techniques {
			all[id]++
			perSource[r.Source][id]++
			if r.Builtin {
				builtin[id] = true
			}
			if _, ok := cat.Lookup(id); !ok {
				unknown[id] = append(unknown[id], ruleRef(r))
			}
		}
	}
	for src, ids := range perSource {
		sc := SourceCoverage{Source: src, Rules: srcRules[src]}
		for id, n := range ids {
			sc.Techniques = append(sc.Techniques, TechniqueRuleCount{ID: id, Name: techName(cat, id), Rules: n})
		}
		sort.Slice(sc.Techniques, func(i, j int) bool { return sc.Techniques[i].ID < sc.Techniques[j].ID })
		rep.Sources = append(rep.Sources, sc)
	}
	sort.Slice(rep.Sources, func(i, j int) bool { return rep.Sources[i].Source < rep.Sources[j].Source })

	tagged := func(set func(string) bool) func(unit string, members []string) bool {
		return func(unit string, members []string) bool {
			for _, m := range members {
				if set(m) {
					return true
				}
			}
			if p := attack.ParentOf(unit); p != "" && set(p) {
				return true
			}
			if attack.ParentOf(unit) == "" {
				for id := range all {
					if attack.ParentOf(id) == unit && set(id) {
						return true
					}
				}
			}
			return false
		}
	}
	anyRule := tagged(func(id string) bool { return all[id] > 0 })
	builtinRule := tagged(func(id string) bool { return builtin[id] })

	unionUnits := map[string][]string{}
	for _, g := range attack.PlatformGroups {
		pc := PlatformCoverage{PlatformGroup: g}
		if len(g.From) == 0 {
			pc.NoData = true
			rep.Platforms = append(rep.Platforms, pc)
			continue
		}
		units := platformUnits(cat.OnPlatform(g.From...))
		keys := sortedKeys(units)
		for _, u := range keys {
			pc.Units++
			if g.Name == "IaaS" || g.Name == "Identity Provider" {
				unionUnits[u] = mergeStr(unionUnits[u], units[u])
			}
			if builtinRule(u, units[u]) {
				pc.BuiltinCovered++
			}
			if anyRule(u, units[u]) {
				pc.Covered++
				n := 0
				for id, c := range all {
					if containsStr(units[u], id) || attack.ParentOf(id) == u || id == attack.ParentOf(u) {
						n += c
					}
				}
				pc.CoveredTechniques = append(pc.CoveredTechniques, TechniqueRuleCount{ID: u, Name: techName(cat, u), Rules: n})
				continue
			}
			tech, _ := cat.Lookup(u)
			pc.Uncovered = append(pc.Uncovered, tech)
		}
		pc.Percent, pc.BuiltinPercent = percent(pc.Covered, pc.Units), percent(pc.BuiltinCovered, pc.Units)
		rep.Platforms = append(rep.Platforms, pc)
	}
	// Units of the union: a sub-technique unit of one platform whose parent
	// is a unit of the other belongs to the parent.
	for u := range unionUnits {
		if p := attack.ParentOf(u); p != "" {
			if _, ok := unionUnits[p]; ok {
				unionUnits[p] = mergeStr(unionUnits[p], unionUnits[u])
				delete(unionUnits, u)
			}
		}
	}
	for u, members := range unionUnits {
		rep.IaaSAndIdP.Units++
		if anyRule(u, members) {
			rep.IaaSAndIdP.Covered++
		}
		if builtinRule(u, members) {
			rep.IaaSAndIdP.BuiltinCovered++
		}
	}
	rep.IaaSAndIdP.Percent = percent(rep.IaaSAndIdP.Covered, rep.IaaSAndIdP.Units)
	rep.IaaSAndIdP.BuiltinPercent = percent(rep.IaaSAndIdP.BuiltinCovered, rep.IaaSAndIdP.Units)

	for _, id := range sortedKeys(unknown) {
		refs := unknown[id]
		sort.Strings(refs)
		rep.Unknown = append(rep.Unknown, UnknownTechnique{ID: id, Rules: refs})
	}
	return rep
}

// platformUnits groups a platform's ids into counting units (see
// CoverageCountingRule): unit id -> member ids.
func platformUnits(ids []string) map[string][]string {
	listed := map[string]bool{}
	for _, id := range ids {
		listed[id] = true
	}
	units := map[string][]string{}
	for _, id := range ids {
		u := id
		if p := attack.ParentOf(id); p != "" && listed[p] {
			u = p
		}
		units[u] = mergeStr(units[u], []string{id})
	}
	return units
}

func techName(cat *attack.Catalog, id string) string {
	t, ok := cat.Lookup(id)
	if !ok {
		return ""
	}
	if p := t.Parent(); p != "" {
		if pt, ok := cat.Lookup(p); ok {
			return pt.Name + ": " + t.Name
		}
	}
	return t.Name
}

func ruleRef(r CoverageRule) string {
	if r.Path != "" {
		return r.Title + " (" + r.Path + ")"
	}
	return r.Title
}

func percent(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return math.Round(1000*float64(n)/float64(d)) / 10
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func mergeStr(a, b []string) []string {
	for _, s := range b {
		if !containsStr(a, s) {
			a = append(a, s)
		}
	}
	sort.Strings(a)
	return a
}

func containsStr(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// LoadCoverageRules loads the built-in rules (unless noBuiltin) and every
// rule folder for a coverage report, with the load errors of the folders.
func LoadCoverageRules(ctx context.Context, dirs []string, noBuiltin bool) ([]CoverageRule, []sigma.LoadError) {
	var out []CoverageRule
	var errs []sigma.LoadError
	if !noBuiltin {
		r, c, _, e := LoadBuiltins()
		out = append(out, CoverageRulesOf(r, c, true)...)
		errs = append(errs, e...)
	}
	for _, d := range dirs {
		r, c, _, e := sigma.LoadDir(ctx, d)
		out = append(out, CoverageRulesOf(r, c, false)...)
		errs = append(errs, e...)
	}
	return out, errs
}

// WriteTable writes the report for a terminal.
func (rep *CoverageReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "ATT&CK: %s\n", rep.Attack.Version)
	fmt.Fprintf(tw, "rules: %d loaded (%d built-in), %d with technique tags\n\n", rep.Rules.Loaded, rep.Rules.Builtin, rep.Rules.WithTechniques)
	fmt.Fprintln(tw, "PLATFORM\tUNITS\tCOVERED\t%\tBUILT-IN %")
	for _, p := range rep.Platforms {
		if p.NoData {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t(no technique list shipped)\n", p.Name)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f\t%.1f\n", p.Name, p.Units, p.Covered, p.Percent, p.BuiltinPercent)
	}
	f := rep.IaaSAndIdP
	fmt.Fprintf(tw, "IaaS + Identity Provider\t%d\t%d\t%.1f\t%.1f\n\n", f.Units, f.Covered, f.Percent, f.BuiltinPercent)
	fmt.Fprintln(tw, "SOURCE\tRULES\tTECHNIQUES")
	for _, s := range rep.Sources {
		ids := make([]string, len(s.Techniques))
		for i, t := range s.Techniques {
			ids[i] = t.ID
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", s.Source, s.Rules, strings.Join(ids, " "))
	}
	fmt.Fprintln(tw)
	for _, p := range rep.Platforms {
		if p.NoData || len(p.Uncovered) == 0 {
			continue
		}
		fmt.Fprintf(tw, "%s: no rule for\n", p.Name)
		for _, t := range p.Uncovered {
			fmt.Fprintf(tw, "  %s\t%s\t%s\n", t.ID, t.Name, strings.Join(t.Tactics, ","))
		}
	}
	if len(rep.Unknown) > 0 {
		fmt.Fprintln(tw, "\ntechnique tags not in the ATT&CK data (typo, other version or platform):")
		for _, u := range rep.Unknown {
			fmt.Fprintf(tw, "  %s\t%s\n", u.ID, strings.Join(u.Rules, "; "))
		}
	}
	fmt.Fprintf(tw, "\ncounting: %s\n", rep.CountingRule)
	return tw.Flush()
}
