package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/resource"
)

// Test case prefixes: a test named test_fail_* asserts a resource fails, a
// test_pass_* or test_unknown_* test asserts it does not, on an input that
// has every fact the rule requires (pass) or lacks one (unknown); a
// test_skip_* test asserting a resource does not fail wants no finding for
// it at all (in the rule's skip set, or not selected by custom.applies_to).
const (
	PrefixFail    = "test_fail_"
	PrefixPass    = "test_pass_"
	PrefixUnknown = "test_unknown_"
	PrefixSkip    = "test_skip_"
)

// TestResult is one Rego test's outcome: the Rego test itself and, for a
// test_fail_/test_pass_/test_unknown_ test, what the real engine says about
// each resource the test asserts on.
type TestResult struct {
	Package string `json:"package"`
	Name    string `json:"name"`
	File    string `json:"file"`
	Pass    bool   `json:"pass"`
	Error   string `json:"error,omitempty"`
	// Cases are the engine checks of the test's assertions.
	Cases []CaseResult `json:"cases,omitempty"`
	// CaseError says what a prefixed test lacks: a test_fail_ test must
	// assert a resource is in the rule's fail set, a test_pass_ or
	// test_unknown_ test that one is not.
	CaseError string `json:"case_error,omitempty"`
}

// CaseResult is the engine's verdict on one assertion of a rule test
// (`"r1" in rule.fail with input as X`, or its negation): the document X
// run through the engine with that rule gives the resource Got; the test's
// prefix and the assertion say Want.
type CaseResult struct {
	Rule     string `json:"rule"`
	Resource string `json:"resource"`
	Line     int    `json:"line,omitempty"`
	Want     string `json:"want"` // FAIL, PASS, UNKNOWN, "not FAIL", "skipped" or "no finding"
	Got      string `json:"got,omitempty"`
	Message  string `json:"message,omitempty"` // the finding's message
	Pass     bool   `json:"pass"`
	Error    string `json:"error,omitempty"`
}

// RuleCheck lists what a rule's tests lack: at least one test_fail_, one
// test_pass_ and (when the rule requires facts) one test_unknown_ test
// asserting on it.
type RuleCheck struct {
	Rule    string   `json:"rule"`
	File    string   `json:"file"`
	Fail    int      `json:"fail_cases"`
	Pass    int      `json:"pass_cases"`
	Unknown int      `json:"unknown_cases"`
	Missing []string `json:"missing,omitempty"`
}

// TestReport is the outcome of RunTests.
type TestReport struct {
	Tests []TestResult `json:"tests"`
	// Rules has one entry per rule whose tests ran.
	Rules []RuleCheck `json:"rules"`
}

// Failed counts failing tests and rules lacking a kind of case.
func (r *TestReport) Failed() int {
	n := 0
	for _, t := range r.Tests {
		if !t.Pass {
			n++
		}
	}
	for _, c := range r.Rules {
		if len(c.Missing) > 0 {
			n++
		}
	}
	return n
}

// Status names the engine check uses besides FAIL, PASS and UNKNOWN.
const (
	wantNotFail    = "not FAIL"
	wantNotSkipped = "not skipped"
	gotSkipped     = "skipped"
	gotNone        = "no finding"
	gotNotSelected = gotNone + " (custom.applies_to does not select it)"
)

// RunTests runs the *_test.rego tests of the sources, as `opa test` does,
// and checks every test_fail_/test_pass_/test_unknown_ assertion through
// the real engine. Every module of every source (e.g. the built-in
// vigil.lib.* helpers) is available to the tests; test files of built-in
// sources run only when withBuiltinTests is set.
func RunTests(ctx context.Context, srcs []Source, withBuiltinTests bool) (*TestReport, error) {
	files, err := parseSources(ctx, srcs, true)
	if err != nil {
		return nil, err
	}
	e, err := New(ctx, srcs, AllOptIn())
	if err != nil {
		return nil, err
	}
	mods := map[string]*ast.Module{}
	var testFiles []parsedFile
	for _, f := range files {
		if f.test && f.builtin && !withBuiltinTests {
			continue
		}
		// The tester and the compiler below copy the modules; keep an
		// unrewritten copy to read the test bodies from.
		mods[f.name] = f.module
		if f.test {
			testFiles = append(testFiles, parsedFile{name: f.name, module: f.module.Copy(), test: true, builtin: f.builtin})
		}
	}
	ch, err := tester.NewRunner().SetModules(mods).EnableTracing(false).RaiseBuiltinErrors(true).Run(ctx, mods)
	if err != nil {
		return nil, fmt.Errorf("running rule tests: %w", err)
	}
	rep := &TestReport{}
	index := map[string]int{} // package.name -> Tests index
	for r := range ch {
		tr := TestResult{Package: strings.TrimPrefix(r.Package, "data."), Name: r.Name, Pass: r.Pass()}
		if r.Location != nil {
			tr.File = r.Location.File
		}
		if r.Error != nil {
			tr.Error = r.Error.Error()
		} else if r.Fail {
			tr.Error = "test failed"
		}
		index[tr.Package+"."+tr.Name] = len(rep.Tests)
		rep.Tests = append(rep.Tests, tr)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	c, err := compile(files, true)
	if err != nil {
		return nil, err
	}
	chk := &caseChecker{e: e, compiler: c, byPkg: map[string]int{}}
	for i, r := range e.rules {
		chk.byPkg[r.Package] = i
	}
	counts := map[string]*RuleCheck{}
	for _, f := range testFiles {
		for _, tc := range chk.cases(ctx, f) {
			k, ok := index[tc.pkg+"."+tc.name]
			if !ok {
				continue // not a test the runner ran (e.g. a helper named like one)
			}
			tr := &rep.Tests[k]
			tr.Cases = append(tr.Cases, tc.results...)
			tr.CaseError = tc.err
			if tc.err != "" || !allPass(tc.results) {
				tr.Pass = false
			}
			for _, id := range tc.rules {
				rc := counts[id]
				if rc == nil {
					rc = &RuleCheck{Rule: id}
					counts[id] = rc
				}
				switch tc.kind {
				case PrefixFail:
					rc.Fail++
				case PrefixPass:
					rc.Pass++
				case PrefixUnknown:
					rc.Unknown++
				}
			}
		}
	}
	sort.SliceStable(rep.Tests, func(i, j int) bool {
		a, b := rep.Tests[i], rep.Tests[j]
		return a.Package < b.Package || a.Package == b.Package && a.Name < b.Name
	})
	for _, r := range e.rules {
		if r.Builtin && !withBuiltinTests {
			continue
		}
		rc := RuleCheck{Rule: r.ID, File: r.File}
		if c := counts[r.ID]; c != nil {
			rc.Fail, rc.Pass, rc.Unknown = c.Fail, c.Pass, c.Unknown
		}
		if rc.Fail == 0 {
			rc.Missing = append(rc.Missing, PrefixFail)
		}
		if rc.Pass == 0 {
			rc.Missing = append(rc.Missing, PrefixPass)
		}
		if rc.Unknown == 0 && len(r.Requires) > 0 {
			rc.Missing = append(rc.Missing, PrefixUnknown)
		}
		rep.Rules = append(rep.Rules, rc)
	}
	return rep, nil
}

func allPass(rs []CaseResult) bool {
	for _, r := range rs {
		if !r.Pass {
			return false
		}
	}
	return true
}

// caseChecker runs rule test assertions through the engine.
type caseChecker struct {
	e        *Engine
	compiler *ast.Compiler // rules, libraries and tests
	byPkg    map[string]int
}

// testCase is one test_fail_/test_pass_/test_unknown_ rule of a test module.
type testCase struct {
	pkg, name, kind string
	rules           []string // ids of the rules it asserts on
	results         []CaseResult
	err             string
}

// caseKind returns the test's prefix, or "".
func caseKind(name string) string {
	for _, p := range []string{PrefixFail, PrefixPass, PrefixUnknown, PrefixSkip} {
		if strings.HasPrefix(name, p) {
			return p
		}
	}
	return ""
}

// cases checks every prefixed test of a test module.
func (c *caseChecker) cases(ctx context.Context, f parsedFile) []testCase {
	m := f.module
	pkg := strings.TrimPrefix(m.Package.Path.String(), "data.")
	var out []testCase
	for _, r := range m.Rules {
		name := r.Head.Name.String()
		if name == "" && len(r.Head.Reference) > 0 {
			name = r.Head.Reference[0].String()
		}
		kind := caseKind(name)
		if kind == "" {
			continue
		}
		tc := testCase{pkg: pkg, name: name, kind: kind}
		positive, negative := 0, 0
		seen := map[string]bool{}
		for k, expr := range r.Body {
			a, ok := c.assertion(m, expr)
			if !ok {
				continue
			}
			if a.err != "" {
				tc.results = append(tc.results, CaseResult{Line: a.line, Error: fmt.Sprintf("line %d: %s", a.line, a.err)})
				continue
			}
			switch {
			case a.set != "fail":
			case a.negated:
				negative++
			default:
				positive++
			}
			if !seen[a.rule.ID] {
				seen[a.rule.ID] = true
				tc.rules = append(tc.rules, a.rule.ID)
			}
			tc.results = append(tc.results, c.check(ctx, m, r.Body[:k], a, kind))
		}
		switch {
		case kind == PrefixFail && positive == 0:
			tc.err = `a test_fail_ test must assert "<id>" in <rule>.fail with input as ...`
		case (kind == PrefixPass || kind == PrefixUnknown) && negative == 0:
			tc.err = fmt.Sprintf(`a %s test must assert not "<id>" in <rule>.fail with input as ... (checking pass or skip alone lets a failing resource through)`, kind)
		}
		out = append(out, tc)
	}
	return out
}

// assertion is one recognized assertion of a rule test.
type assertion struct {
	rule    *Rule
	set     string // fail or skip
	id      string
	negated bool
	input   *ast.Term
	line    int
	err     string
}

// assertion recognizes `"id" in <rule>.fail with input as X` (or
// `<rule>.fail["id"]`), negated or not, and the same over skip. ok is false
// for any other expression.
func (c *caseChecker) assertion(m *ast.Module, expr *ast.Expr) (a assertion, ok bool) {
	var elem *ast.Term
	var coll ast.Ref
	switch {
	case expr.IsCall() && len(expr.Operands()) == 2 && expr.Operator().Equal(ast.Member.Ref()):
		ops := expr.Operands()
		r, isRef := ops[1].Value.(ast.Ref)
		if !isRef {
			return a, false
		}
		elem, coll = ops[0], r
	default:
		t, isTerm := expr.Terms.(*ast.Term)
		if !isTerm {
			return a, false
		}
		r, isRef := t.Value.(ast.Ref)
		if !isRef || len(r) < 3 {
			return a, false
		}
		elem, coll = r[len(r)-1], r[:len(r)-1]
	}
	last, isStr := coll[len(coll)-1].Value.(ast.String)
	if !isStr || (last != "fail" && last != "skip") {
		return a, false
	}
	pkg := c.resolve(m, coll[:len(coll)-1])
	i, known := c.byPkg[pkg]
	if !known {
		return a, false // e.g. a helper package's own set named fail
	}
	a = assertion{rule: c.e.rules[i], set: string(last), negated: expr.Negated}
	if expr.Location != nil {
		a.line = expr.Location.Row
	}
	for _, w := range expr.With {
		if w.Target.String() == "input" {
			a.input = w.Value
			continue
		}
		a.err = fmt.Sprintf("the assertion replaces %v, which the engine check cannot reproduce: give the rule everything through input", w.Target)
	}
	if a.input == nil && a.err == "" {
		a.err = "the assertion has no `with input as ...`"
	}
	id, isStr := elem.Value.(ast.String)
	if !isStr {
		if a.err == "" {
			a.err = fmt.Sprintf("the asserted resource %v is not a string literal id", elem)
		}
	} else {
		a.id = string(id)
	}
	return a, true
}

// resolve turns a reference to a package (data.vigil.rules.x, or an import
// alias such as rule) into its data path.
func (c *caseChecker) resolve(m *ast.Module, ref ast.Ref) string {
	if len(ref) == 0 {
		return ""
	}
	head, ok := ref[0].Value.(ast.Var)
	if !ok {
		return ""
	}
	if head == "data" {
		return ref.String()
	}
	for _, imp := range m.Imports {
		p, ok := imp.Path.Value.(ast.Ref)
		if !ok || !p.HasPrefix(ast.DefaultRootRef) {
			continue
		}
		name := imp.Alias
		if name == "" {
			if s, ok := p[len(p)-1].Value.(ast.String); ok {
				name = ast.Var(s)
			}
		}
		if name == head {
			return p.Concat(ref[1:]).String()
		}
	}
	return ""
}

// check evaluates the assertion's input (in the test's package, after the
// body's earlier expressions) and runs it through the engine with the rule.
func (c *caseChecker) check(ctx context.Context, m *ast.Module, before ast.Body, a assertion, kind string) CaseResult {
	res := CaseResult{Rule: a.rule.ID, Resource: a.id, Line: a.line}
	switch {
	case a.set == "skip" && !a.negated:
		res.Want = gotSkipped
	case a.set == "skip":
		res.Want = wantNotSkipped
	case !a.negated:
		res.Want = string(finding.Fail)
	case kind == PrefixPass:
		res.Want = string(finding.Pass)
	case kind == PrefixUnknown:
		res.Want = string(finding.Unknown)
	case kind == PrefixSkip:
		res.Want = gotNone
	default:
		res.Want = wantNotFail
	}
	fail := func(format string, args ...any) CaseResult {
		res.Error = fmt.Sprintf("line %d: %s: %s", a.line, a.id, fmt.Sprintf(format, args...))
		return res
	}
	doc, err := c.inputOf(ctx, m, before, a.input)
	if err != nil {
		return fail("%v", err)
	}
	resources, now, err := decodeCaseInput(doc)
	if err != nil {
		return fail("the input does not fit the resource model: %v", err)
	}
	in, err := NewInput(resources, now)
	if err != nil {
		return fail("%v", err)
	}
	fs, err := c.e.evalRule(ctx, c.byPkg[a.rule.Package], in)
	if err != nil {
		return fail("the engine: %v", err)
	}
	res.Got = gotNone
	for _, f := range fs {
		if f.Resource.ID == a.id {
			res.Got, res.Message = string(f.Status), f.Message
		}
	}
	if res.Got == gotNone {
		if r := in.byIDOf(a.id); r == nil {
			res.Got = gotNone + " (no resource with this id in input.resources." + string(a.rule.Class) + ")"
		} else if r.Class != a.rule.Class || !a.rule.HasProvider(r.Provider) {
			res.Got = fmt.Sprintf("%s (a %s resource from %q; the rule judges %s resources from %v)", gotNone, r.Class, r.Provider, a.rule.Class, a.rule.Providers)
		} else if !a.rule.sel.match(r) {
			res.Got = gotNotSelected
		} else {
			res.Got = gotSkipped
		}
	}
	switch res.Want {
	case wantNotFail:
		res.Pass = res.Got != string(finding.Fail)
	case wantNotSkipped:
		res.Pass = res.Got != gotSkipped
	case gotNone: // skipped, or not selected by custom.applies_to
		res.Pass = res.Got == gotSkipped || res.Got == gotNotSelected
	default:
		res.Pass = res.Got == res.Want
	}
	if !res.Pass {
		why := ""
		if res.Message != "" {
			why = " (" + res.Message + ")"
		}
		res.Error = fmt.Sprintf("line %d: %s is %s through the engine%s, want %s", a.line, a.id, res.Got, why, res.Want)
	}
	return res
}

const caseInputVar = ast.Var("__vigil_case_input__")

// inputOf evaluates an assertion's `with input as` value in the test's
// package, after the assignments of the body that precede the assertion
// (which may bind it, as in `inp := one("aws", {...})`).
func (c *caseChecker) inputOf(ctx context.Context, m *ast.Module, before ast.Body, value *ast.Term) (any, error) {
	// Keep the expressions that may bind variables (x := ..., x = ...,
	// some x), not the test's other assertions: an assertion on another set
	// that is false must not hide this one's input.
	body := make(ast.Body, 0, len(before)+1)
	for _, e := range before {
		if _, some := e.Terms.(*ast.SomeDecl); some || (!e.Negated && (e.IsAssignment() || e.IsEquality())) {
			body = append(body, e.Copy())
		}
	}
	body = append(body, ast.Equality.Expr(ast.NewTerm(caseInputVar), value.Copy()))
	for i, e := range body {
		e.Index = i
	}
	r := rego.New(rego.Compiler(c.compiler), rego.ParsedQuery(body), rego.ParsedPackage(m.Package), rego.ParsedImports(m.Imports))
	rs, err := r.Eval(ctx)
	if err != nil {
		return nil, fmt.Errorf("evaluating the test input: %w", err)
	}
	if len(rs) == 0 {
		return nil, fmt.Errorf("the test input is undefined at the assertion")
	}
	v, ok := rs[0].Bindings[string(caseInputVar)]
	if !ok {
		return nil, fmt.Errorf("the test input is undefined at the assertion")
	}
	return v, nil
}

// caseResource is a resource as a rule test writes it: the rule input's
// view of a resource (see ruleView).
type caseResource struct {
	Provider      resource.Provider       `json:"provider"`
	Account       string                  `json:"account"`
	Region        string                  `json:"region"`
	Type          string                  `json:"type"`
	ID            string                  `json:"id"`
	Name          string                  `json:"name"`
	Tags          map[string]string       `json:"tags"`
	Relationships []resource.Relationship `json:"relationships"`
	Class         resource.Class          `json:"class"`
	Facts         resource.Facts          `json:"facts"`
}

// decodeCaseInput reads a rule test's input document into resources, as
// strictly as the model is typed: a misspelt fact or a value of the wrong
// type is an error, so a test cannot pass on facts no importer produces.
func decodeCaseInput(doc any) ([]*resource.Resource, time.Time, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, time.Time{}, err
	}
	var in struct {
		Now       *string                    `json:"now"`
		Resources map[string]json.RawMessage `json:"resources"`
	}
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, time.Time{}, fmt.Errorf("want an object {now, resources: {<class>: [...]}}: %w", err)
	}
	now := time.Now().UTC()
	if in.Now != nil {
		if now, err = time.Parse(time.RFC3339, *in.Now); err != nil {
			return nil, time.Time{}, fmt.Errorf("now: %w", err)
		}
	}
	classes := make([]string, 0, len(in.Resources))
	for k := range in.Resources {
		classes = append(classes, k)
	}
	sort.Strings(classes)
	var out []*resource.Resource
	for _, cls := range classes {
		if !resource.KnownClass(resource.Class(cls)) {
			return nil, time.Time{}, fmt.Errorf("resources.%s: not a class (want one of %s)", cls, classNames())
		}
		var list []json.RawMessage
		if err := json.Unmarshal(in.Resources[cls], &list); err != nil {
			return nil, time.Time{}, fmt.Errorf("resources.%s: want a list of resources: %w", cls, err)
		}
		for i, raw := range list {
			var cr caseResource
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&cr); err != nil {
				return nil, time.Time{}, fmt.Errorf("resources.%s[%d]: %w", cls, i, err)
			}
			if cr.Class != "" && cr.Class != resource.Class(cls) {
				return nil, time.Time{}, fmt.Errorf("resources.%s[%d]: class %q under resources.%s", cls, i, cr.Class, cls)
			}
			out = append(out, &resource.Resource{
				Provider: cr.Provider, Account: cr.Account, Region: cr.Region, Type: cr.Type, ID: cr.ID, Name: cr.Name,
				Tags: cr.Tags, Relationships: cr.Relationships, Class: resource.Class(cls), Facts: cr.Facts,
			})
		}
	}
	return out, now, nil
}
