package policy

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Rule is a posture rule: its metadata (finding.RuleInfo, the one rule info
// type the findings, the compliance summary and the reports share), the
// class it judges and the facts it needs, read from its package's METADATA
// block.
type Rule struct {
	finding.RuleInfo
	Class resource.Class `json:"class"`
	// Requires lists the facts the rule needs (custom.requires), as fact
	// paths such as facts.storage.public_access. An entry with several paths
	// is satisfied when any one of them is present. A resource of the rule's
	// class that does not fail and lacks a required fact is UNKNOWN.
	Requires [][]string `json:"requires,omitempty"`
	// AppliesTo narrows the rule to the resources of its class whose
	// field (type, or a string fact such as facts.identity.kind) has one of
	// the listed values (custom.applies_to); the others get no finding and
	// are not in the rule's input. It replaces a large skip set, in Go.
	AppliesTo map[string][]string `json:"applies_to,omitempty"`
	// OptIn names the rule set the rule belongs to when it is evaluated
	// only on request (custom.opt_in: the governance rules need a
	// governance policy): New leaves it out unless OptIn names its set.
	OptIn string `json:"opt_in,omitempty"`
	// Package is the Rego package path, e.g. data.vigil.rules.storage_public_access.
	Package string `json:"package"`
	// File is where the rule was read from; Builtin tells built-in from custom.
	File    string `json:"file"`
	Builtin bool   `json:"builtin"`

	// Compiled at load: presence checks per requires entry, the message an
	// UNKNOWN finding carries per entry, the framework references.
	checks   [][]*factCheck
	unknowns []string
	refs     []finding.Reference
	sel      *selector
}

// selector is a compiled custom.applies_to: every condition must hold.
type selector struct {
	key   string // canonical form, for the input view cache
	conds []selCond
}

type selCond struct {
	typ  bool       // the resource's native type
	fact *factCheck // else a string or boolean fact
	// values holds the selected values as text ("true"/"false" for a
	// boolean fact); "" selects resources where the fact is absent.
	values map[string]bool
}

// match reports whether the rule applies to r.
func (s *selector) match(r *resource.Resource) bool {
	if s == nil {
		return true
	}
	for _, c := range s.conds {
		v := r.Type
		if !c.typ {
			v = c.fact.text(&r.Facts)
		}
		if !c.values[v] {
			return false
		}
	}
	return true
}

// HasProvider reports whether the rule covers p.
func (r *Rule) HasProvider(p resource.Provider) bool { return slices.Contains(r.Providers, p) }

// missing returns the index of the first requires entry none of whose paths
// is present on f, or -1 when every required fact is present.
func (r *Rule) missing(f *resource.Facts) int {
	for i, alts := range r.checks {
		ok := false
		for _, c := range alts {
			if c.present(f) {
				ok = true
				break
			}
		}
		if !ok {
			return i
		}
	}
	return -1
}

// Infos returns the rules' metadata, as the reports and the compliance
// summary take it.
func Infos(rs []*Rule) []finding.RuleInfo {
	out := make([]finding.RuleInfo, len(rs))
	for i, r := range rs {
		out[i] = r.RuleInfo
	}
	return out
}

// packageAnnotation returns the package-scoped METADATA of a rule module,
// or nil when it names no id (a library package).
func packageAnnotation(m *ast.Module) *ast.Annotations {
	for _, a := range m.Annotations {
		if a.Scope == "package" {
			if a.Custom == nil || a.Custom["id"] == nil {
				return nil
			}
			return a
		}
	}
	return nil
}

// ruleFromModule reads the package-scoped METADATA of a rule module. It
// returns (nil, nil) for a module without an `id` (a library package).
func ruleFromModule(file string, m *ast.Module) (*Rule, error) {
	ann := packageAnnotation(m)
	if ann == nil {
		return nil, nil
	}
	return ruleFromMeta(file, m.Package.Path.String(), ann.Title, ann.Description, ann.Custom)
}

// ruleFromMeta reads a rule from its package path and the title,
// description and custom fields of its package METADATA (parsed, or
// decoded at build time: headerMeta).
func ruleFromMeta(file, pkg, title, description string, c map[string]any) (*Rule, error) {
	r := &Rule{
		RuleInfo: finding.RuleInfo{Title: title, Description: strings.TrimSpace(description)},
		Package:  pkg,
		File:     file,
	}
	var errs []string
	str := func(key string, required bool) string {
		v, ok := c[key]
		if !ok {
			if required {
				errs = append(errs, "custom."+key+" is missing")
			}
			return ""
		}
		s, ok := v.(string)
		if !ok {
			errs = append(errs, fmt.Sprintf("custom.%s must be a string, got %T", key, v))
		}
		return strings.TrimSpace(s)
	}
	r.ID = str("id", true)
	sev, err := finding.ParseSeverity(str("severity", true))
	if err != nil {
		errs = append(errs, "custom.severity: "+err.Error())
	}
	r.Severity = sev
	r.Category = str("category", true)
	r.Class = resource.Class(str("class", true))
	if r.Class != "" && !resource.KnownClass(r.Class) {
		errs = append(errs, fmt.Sprintf("custom.class %q is not a known class (want one of %s)", r.Class, classNames()))
	}
	r.Remediation = str("remediation", false)
	r.OptIn = str("opt_in", false)
	if r.Title == "" {
		errs = append(errs, "title is missing")
	}
	switch ps := c["providers"].(type) {
	case []any:
		for _, p := range ps {
			s, _ := p.(string)
			switch resource.Provider(s) {
			case resource.AWS, resource.Azure, resource.GCP, resource.K8s:
				r.Providers = append(r.Providers, resource.Provider(s))
			default:
				errs = append(errs, fmt.Sprintf("custom.providers: unknown provider %v", p))
			}
		}
	default:
		errs = append(errs, "custom.providers must be a list of aws, azure, gcp, kubernetes")
	}
	if fw, ok := c["frameworks"].(map[string]any); ok {
		r.Frameworks = map[string][]string{}
		for k, v := range fw {
			list, ok := v.([]any)
			if !ok {
				errs = append(errs, fmt.Sprintf("custom.frameworks.%s must be a list", k))
				continue
			}
			for _, x := range list {
				c, ok := x.(string)
				if !ok {
					// YAML reads 2.10 as the number 2.1: only strings keep a control ID as written.
					errs = append(errs, fmt.Sprintf("custom.frameworks.%s: control %v is not a string (quote it: \"2.10\")", k, x))
					continue
				}
				r.Frameworks[k] = append(r.Frameworks[k], strings.TrimSpace(c))
			}
		}
	} else if c["frameworks"] != nil {
		errs = append(errs, "custom.frameworks must be a map of framework to control IDs")
	}
	errs = append(errs, r.readRequires(c["requires"])...)
	errs = append(errs, r.readAppliesTo(c["applies_to"])...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: rule %q: %s", file, r.ID, strings.Join(errs, "; "))
	}
	r.refs = r.References()
	return r, nil
}

// crossClassFacts are the facts keys any class's resources may carry (set
// by the governance step, or the exposure reachability computes for
// instances, load balancers, their targets and firewalls), which a rule of
// any class may require.
var crossClassFacts = []string{"data", "tagging", "exposure"}

// crossClassFact reports whether p is a path into a cross-class fact.
func crossClassFact(p string) bool {
	for _, k := range crossClassFacts {
		if p == "facts."+k || strings.HasPrefix(p, "facts."+k+".") {
			return true
		}
	}
	return false
}

// readRequires reads and compiles custom.requires: a list whose entries are
// fact paths or lists of fact paths (any one present is enough).
func (r *Rule) readRequires(v any) []string {
	if v == nil {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return []string{fmt.Sprintf("custom.requires must be a list of fact paths, got %v", v)}
	}
	var errs []string
	key := resource.FactsKey(r.Class)
	for _, e := range list {
		var paths []string
		switch e := e.(type) {
		case string:
			paths = []string{e}
		case []any:
			for _, x := range e {
				s, ok := x.(string)
				if !ok {
					errs = append(errs, fmt.Sprintf("custom.requires: %v is not a fact path", x))
					continue
				}
				paths = append(paths, s)
			}
		default:
			errs = append(errs, fmt.Sprintf("custom.requires: %v is not a fact path or a list of fact paths", e))
			continue
		}
		if len(paths) == 0 {
			errs = append(errs, "custom.requires: an entry is an empty list")
			continue
		}
		var alts []*factCheck
		for _, p := range paths {
			p = strings.TrimSpace(p)
			c, err := compileFactPath(p)
			if err != nil {
				errs = append(errs, "custom.requires: "+err.Error())
				continue
			}
			if key != "" && !strings.HasPrefix(p, "facts."+key+".") && p != "facts."+key && !crossClassFact(p) {
				errs = append(errs, fmt.Sprintf("custom.requires: %s is not a fact of class %s (its facts are facts.%s.*)", p, r.Class, key))
				continue
			}
			alts = append(alts, c)
		}
		if len(alts) != len(paths) {
			continue
		}
		r.Requires = append(r.Requires, paths)
		r.checks = append(r.checks, alts)
		what := paths[0]
		if len(paths) > 1 {
			what = "any of " + strings.Join(paths, ", ")
		}
		r.unknowns = append(r.unknowns, "the input does not carry "+what+", which this rule needs")
	}
	return errs
}

// readAppliesTo reads and compiles custom.applies_to: a map of `type` or a
// string or boolean fact path of the rule's class to the list of values the
// rule applies to (null: the fact is absent).
func (r *Rule) readAppliesTo(v any) []string {
	if v == nil {
		return nil
	}
	m, ok := v.(map[string]any)
	if !ok || len(m) == 0 {
		return []string{fmt.Sprintf("custom.applies_to must map type or a string or boolean fact path to a list of values, got %v", v)}
	}
	var errs []string
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	sel := &selector{}
	r.AppliesTo = map[string][]string{}
	factsKey := resource.FactsKey(r.Class)
	for _, k := range keys {
		list, ok := m[k].([]any)
		if !ok || len(list) == 0 {
			errs = append(errs, fmt.Sprintf("custom.applies_to.%s must be a non-empty list of values", k))
			continue
		}
		cond := selCond{typ: k == "type", values: map[string]bool{}}
		if !cond.typ {
			c, err := compileFactPath(k)
			switch {
			case err != nil:
				errs = append(errs, "custom.applies_to: "+err.Error())
				continue
			case factsKey != "" && !strings.HasPrefix(k, "facts."+factsKey+"."):
				errs = append(errs, fmt.Sprintf("custom.applies_to: %s is not a fact of class %s (its facts are facts.%s.*)", k, r.Class, factsKey))
				continue
			case c.elem != reflect.String && c.elem != reflect.Bool:
				errs = append(errs, fmt.Sprintf("custom.applies_to: %s is not a string or boolean fact (applies_to compares text values and true/false)", k))
				continue
			}
			cond.fact = c
		}
		var vals []string
		for _, x := range list {
			var s string
			switch x := x.(type) {
			case nil: // absent
			case string:
				if cond.fact != nil && cond.fact.elem == reflect.Bool {
					errs = append(errs, fmt.Sprintf("custom.applies_to.%s: %q is not true, false or null (%s is a boolean fact)", k, x, k))
					continue
				}
				s = x
			case bool:
				if cond.fact == nil || cond.fact.elem != reflect.Bool {
					errs = append(errs, fmt.Sprintf("custom.applies_to.%s: %v is not a string", k, x))
					continue
				}
				s = fmt.Sprint(x)
			default:
				errs = append(errs, fmt.Sprintf("custom.applies_to.%s: %v is not a string", k, x))
				continue
			}
			cond.values[s] = true
			vals = append(vals, s)
		}
		slices.Sort(vals)
		r.AppliesTo[k] = vals
		sel.conds = append(sel.conds, cond)
		sel.key += k + "=" + strings.Join(vals, "\x00") + "\x01"
	}
	if len(errs) == 0 {
		r.sel = sel
	}
	return errs
}

// classNames lists the classes rules may declare.
func classNames() string {
	var out []string
	for _, ci := range resource.Classes() {
		out = append(out, string(ci.Class))
	}
	return strings.Join(out, ", ")
}
