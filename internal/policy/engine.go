package policy

import (
	"context"
	"fmt"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Engine holds compiled rules, ready to evaluate inventories.
type Engine struct {
	rules    []*Rule
	prepared []rego.PreparedEvalQuery
	workers  int
}

// Option configures an Engine.
type Option func(*Engine)

// WithWorkers sets how many rules are evaluated at once (default: GOMAXPROCS).
func WithWorkers(n int) Option { return func(e *Engine) { e.workers = n } }

// New parses, validates and compiles the rules of all sources once.
func New(ctx context.Context, srcs []Source, opts ...Option) (*Engine, error) {
	files, err := parseSources(ctx, srcs)
	if err != nil {
		return nil, err
	}
	e := &Engine{workers: runtime.GOMAXPROCS(0)}
	for _, o := range opts {
		o(e)
	}
	seen := map[string]string{}
	defined := map[string]map[string]bool{}
	for _, f := range files {
		if f.test {
			continue
		}
		r, err := ruleFromModule(f.name, f.module)
		if err != nil {
			return nil, err
		}
		if r == nil {
			continue // library package
		}
		if prev, dup := seen[r.ID]; dup {
			return nil, fmt.Errorf("rule id %q is defined twice: %s and %s", r.ID, prev, f.name)
		}
		seen[r.ID] = f.name
		r.Builtin = f.builtin
		e.rules = append(e.rules, r)
		defined[r.ID] = ruleNames(f.module)
	}
	sort.Slice(e.rules, func(i, j int) bool { return e.rules[i].ID < e.rules[j].ID })
	c, err := compile(files, false)
	if err != nil {
		return nil, err
	}
	for _, r := range e.rules {
		q := buildQuery(r.Package, defined[r.ID])
		pq, err := rego.New(rego.Compiler(c), rego.Query(q)).PrepareForEval(ctx)
		if err != nil {
			return nil, fmt.Errorf("%s: preparing rule %s: %w", r.File, r.ID, err)
		}
		e.prepared = append(e.prepared, pq)
	}
	return e, nil
}

// Rules returns the loaded rules, sorted by ID.
func (e *Engine) Rules() []*Rule { return e.rules }

// Input is the document rules see as `input`, built once per evaluation.
type Input struct {
	value ast.Value
	byID  map[string]*resource.Resource
	// byClass lists resources per class, in input order.
	byClass map[resource.Class][]*resource.Resource
}

// ruleView is the part of a resource rules see (no raw attributes).
type ruleView struct {
	Provider      resource.Provider       `json:"provider"`
	Account       string                  `json:"account"`
	Region        string                  `json:"region"`
	Type          string                  `json:"type"`
	ID            string                  `json:"id"`
	Name          string                  `json:"name"`
	Tags          map[string]string       `json:"tags,omitempty"`
	Relationships []resource.Relationship `json:"relationships,omitempty"`
	Class         resource.Class          `json:"class"`
	Facts         resource.Facts          `json:"facts"`
}

// NewInput converts an inventory into the rules' input document. Classes
// are converted in parallel.
func NewInput(resources []*resource.Resource, now time.Time) (*Input, error) {
	in := &Input{byID: make(map[string]*resource.Resource, len(resources)), byClass: map[resource.Class][]*resource.Resource{}}
	for _, r := range resources {
		in.byID[r.ID] = r
		in.byClass[r.Class] = append(in.byClass[r.Class], r)
	}
	classes := make([]resource.Class, 0, len(in.byClass))
	for c := range in.byClass {
		classes = append(classes, c)
	}
	sort.Slice(classes, func(i, j int) bool { return classes[i] < classes[j] })
	vals := make([]*ast.Term, len(classes))
	errs := make([]error, len(classes))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, c := range classes {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			vals[i], errs[i] = classValue(in.byClass[c])
		}()
	}
	wg.Wait()
	byClass := ast.NewObject()
	for i, c := range classes {
		if errs[i] != nil {
			return nil, fmt.Errorf("building rule input for %s: %w", c, errs[i])
		}
		byClass.Insert(ast.StringTerm(string(c)), vals[i])
	}
	in.value = ast.NewObject(
		[2]*ast.Term{ast.StringTerm("now"), ast.StringTerm(now.UTC().Format(time.RFC3339))},
		[2]*ast.Term{ast.StringTerm("resources"), ast.NewTerm(byClass)},
	)
	return in, nil
}

// classValue converts the resources of one class to a Rego array.
func classValue(rs []*resource.Resource) (*ast.Term, error) {
	terms := make([]*ast.Term, len(rs))
	for i, r := range rs {
		t, err := toTerm(reflect.ValueOf(ruleView{
			Provider: r.Provider, Account: r.Account, Region: r.Region, Type: r.Type, ID: r.ID, Name: r.Name,
			Tags: r.Tags, Relationships: r.Relationships, Class: r.Class, Facts: r.Facts,
		}))
		if err != nil {
			return nil, fmt.Errorf("resource %s: %w", r.ID, err)
		}
		terms[i] = t
	}
	return ast.ArrayTerm(terms...), nil
}

// Evaluate runs every rule over the inventory and returns the findings, in
// rule order then input order.
func (e *Engine) Evaluate(ctx context.Context, resources []*resource.Resource, now time.Time) ([]finding.Finding, error) {
	in, err := NewInput(resources, now)
	if err != nil {
		return nil, err
	}
	return e.EvaluateInput(ctx, in)
}

// EvaluateInput runs every rule over a prepared input.
func (e *Engine) EvaluateInput(ctx context.Context, in *Input) ([]finding.Finding, error) {
	results := make([][]finding.Finding, len(e.rules))
	errs := make([]error, len(e.rules))
	next := make(chan int)
	var wg sync.WaitGroup
	workers := max(1, e.workers)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				results[i], errs[i] = e.evalRule(ctx, i, in)
			}
		}()
	}
	for i := range e.rules {
		if ctx.Err() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []finding.Finding
	for i, r := range results {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out = append(out, r...)
	}
	return out, nil
}

func (e *Engine) evalRule(ctx context.Context, i int, in *Input) ([]finding.Finding, error) {
	rule := e.rules[i]
	rs, err := e.prepared[i].Eval(ctx, rego.EvalParsedInput(in.value))
	if err != nil {
		return nil, fmt.Errorf("rule %s (%s): %w", rule.ID, rule.File, err)
	}
	if len(rs) != 1 {
		return nil, fmt.Errorf("rule %s: unexpected result", rule.ID)
	}
	b := rs[0].Bindings
	fail, msgs, err := failSet(b["fail"])
	if err != nil {
		return nil, fmt.Errorf("rule %s: fail: %w", rule.ID, err)
	}
	pass, err := idSet(b["pass"])
	if err != nil {
		return nil, fmt.Errorf("rule %s: pass: %w", rule.ID, err)
	}

	// The resources the rule covers: `applicable` when the rule defines it,
	// otherwise every resource of its class from its providers.
	var covered []*resource.Resource
	if b["applicable"] != nil {
		app, err := idSet(b["applicable"])
		if err != nil {
			return nil, fmt.Errorf("rule %s: applicable: %w", rule.ID, err)
		}
		for _, r := range in.byClass[rule.Class] {
			if app[r.ID] {
				covered = append(covered, r)
				delete(app, r.ID)
			}
		}
		for id := range app { // applicable resources of other classes
			if r := in.byID[id]; r != nil {
				covered = append(covered, r)
			}
		}
	} else {
		for _, r := range in.byClass[rule.Class] {
			if rule.HasProvider(r.Provider) {
				covered = append(covered, r)
			}
		}
	}
	// A rule may fail or pass a resource outside the covered set (e.g. of
	// another class); report those too.
	inCovered := make(map[string]bool, len(covered))
	for _, r := range covered {
		inCovered[r.ID] = true
	}
	for _, set := range []map[string]bool{fail, pass} {
		extra := make([]string, 0)
		for id := range set {
			if !inCovered[id] {
				extra = append(extra, id)
			}
		}
		sort.Strings(extra)
		for _, id := range extra {
			if r := in.byID[id]; r != nil && rule.HasProvider(r.Provider) {
				covered = append(covered, r)
				inCovered[id] = true
			}
		}
	}

	refs := rule.References()
	out := make([]finding.Finding, 0, len(covered))
	for _, r := range covered {
		st := finding.Unknown
		switch {
		case fail[r.ID]:
			st = finding.Fail
		case pass[r.ID]:
			st = finding.Pass
		}
		f := finding.Finding{
			RuleID: rule.ID, Title: rule.Title, Category: rule.Category, Severity: rule.Severity, Status: st,
			Resource: r.Ref(), Frameworks: refs, Remediation: rule.Remediation,
		}
		if st == finding.Fail {
			f.Message = msgs[r.ID]
		}
		if st == finding.Unknown {
			f.Message = "the input does not carry the data this rule needs"
		}
		out = append(out, f)
	}
	return out, nil
}

func idSet(v any) (map[string]bool, error) {
	out := map[string]bool{}
	if v == nil {
		return out, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("want a set of resource ids, got %T", v)
	}
	for _, x := range list {
		s, ok := x.(string)
		if !ok {
			return nil, fmt.Errorf("want resource ids (strings), got %T", x)
		}
		out[s] = true
	}
	return out, nil
}

// ruleNames lists the names of the rules a module defines.
func ruleNames(m *ast.Module) map[string]bool {
	out := map[string]bool{}
	for _, r := range m.Rules {
		out[r.Head.Name.String()] = true
		if len(r.Head.Reference) > 0 {
			out[r.Head.Reference[0].String()] = true
		}
	}
	return out
}

// buildQuery queries the result rules a rule package defines: fail and pass
// (sets of ids) and applicable (set of ids).
func buildQuery(pkg string, names map[string]bool) string {
	var parts []string
	// `message` partial objects are not queried: OPA checks every key of a
	// partial object for collisions as it grows, which is quadratic over a
	// large inventory. Messages come from `fail` elements of the form
	// {"id": ..., "message": ...} instead.
	for _, n := range []string{"fail", "pass", "applicable"} {
		if names[n] {
			parts = append(parts, fmt.Sprintf("%s := %s.%s", n, pkg, n))
		}
	}
	if len(parts) == 0 {
		return "true"
	}
	return strings.Join(parts, "; ")
}

// failSet reads a rule's fail set, whose elements are resource ids or
// objects {"id": ..., "message": ...}.
func failSet(v any) (map[string]bool, map[string]string, error) {
	ids := map[string]bool{}
	msgs := map[string]string{}
	if v == nil {
		return ids, msgs, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, nil, fmt.Errorf("want a set of resource ids, got %T", v)
	}
	for _, x := range list {
		switch x := x.(type) {
		case string:
			ids[x] = true
		case map[string]any:
			id, ok := x["id"].(string)
			if !ok {
				return nil, nil, fmt.Errorf("fail element %v has no string id", x)
			}
			ids[id] = true
			if m, ok := x["message"].(string); ok {
				msgs[id] = m
			}
		default:
			return nil, nil, fmt.Errorf("want resource ids or {id, message} objects, got %T", x)
		}
	}
	return ids, msgs, nil
}
