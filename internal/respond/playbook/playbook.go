package playbook

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"text/template"
	"text/template/parse"

	"github.com/google/cel-go/cel"
	celast "github.com/google/cel-go/common/ast"
	"gopkg.in/yaml.v3"

	"github.com/vigil-sec/vigil/internal/finding"
	"github.com/vigil-sec/vigil/internal/lazyre"
	"github.com/vigil-sec/vigil/internal/respond"
	"github.com/vigil-sec/vigil/internal/respond/engine"
)

// Playbook is one loaded playbook.
type Playbook struct {
	Name        string
	Description string
	File        string
	Line        int
	// Hash is hex(sha256) of the file's bytes.
	Hash      string
	Trigger   Trigger
	Condition string
	column    int
	onError   string
	program   cel.Program
	steps     []*Step
}

// Trigger selects subjects: a finding matches Findings, an alert Alerts;
// each list left empty selects everything.
type Trigger struct {
	Findings *FindingTrigger `yaml:"findings"`
	Alerts   *AlertTrigger   `yaml:"alerts"`
}

// FindingTrigger selects findings.
type FindingTrigger struct {
	Rules      []string          `yaml:"rules"` // rule IDs, "*" globs
	Categories []string          `yaml:"categories"`
	Severities []string          `yaml:"severities"`
	Providers  []string          `yaml:"providers"`
	Accounts   []string          `yaml:"accounts"`
	Tags       map[string]string `yaml:"tags"` // every key must be there with this value ("*": any)
}

// AlertTrigger selects alerts.
type AlertTrigger struct {
	Rules      []string `yaml:"rules"` // rule name or title, "*" globs
	Levels     []string `yaml:"levels"`
	Techniques []string `yaml:"techniques"` // T1098 also selects T1098.001
	Providers  []string `yaml:"providers"`
	Accounts   []string `yaml:"accounts"`
}

// Step is one step of a playbook.
type Step struct {
	id, action string
	auto       bool
	line       int
	with       map[string]*template.Template
	usesTag    map[string]bool
	usesSteps  bool
	literal    map[string]string
}

func (s *Step) ID() string     { return s.id }
func (s *Step) Action() string { return s.action }
func (s *Step) Auto() bool     { return s.auto }
func (s *Step) Line() int      { return s.line }

// Ref, OnError and Steps make a Playbook an engine.Playbook.
func (p *Playbook) Ref() engine.PlaybookRef {
	return engine.PlaybookRef{Name: p.Name, File: p.File, Hash: p.Hash}
}
func (p *Playbook) OnError() string { return p.onError }
func (p *Playbook) Steps() []engine.Step {
	out := make([]engine.Step, len(p.steps))
	for i, s := range p.steps {
		out[i] = s
	}
	return out
}

// Engine returns the playbooks as the engine's interface.
func Engine(pbs []*Playbook) []engine.Playbook {
	out := make([]engine.Playbook, len(pbs))
	for i, p := range pbs {
		out[i] = p
	}
	return out
}

// Error is a mistake in a playbook, at a file, line and column.
type Error struct {
	File   string
	Line   int
	Column int // 0 when unknown
	Msg    string
}

func (e *Error) Error() string {
	if e.Line > 0 && e.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

// Load reads playbook files and directories (their *.yml and *.yaml
// files, not recursively). Every mistake of every file is returned
// (errors.Join of *Error); the playbooks are returned only when there is
// none.
func Load(paths []string, reg *respond.Registry) ([]*Playbook, error) {
	var files []string
	var errs []error
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("playbooks: %w", err))
			continue
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			errs = append(errs, fmt.Errorf("playbooks: %w", err))
			continue
		}
		n := 0
		for _, e := range entries {
			if ext := filepath.Ext(e.Name()); !e.IsDir() && (ext == ".yml" || ext == ".yaml") {
				files = append(files, filepath.Join(p, e.Name()))
				n++
			}
		}
		if n == 0 {
			errs = append(errs, fmt.Errorf("playbooks: no *.yml or *.yaml file in %s", p))
		}
	}
	var out []*Playbook
	names := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("playbooks: %w", err))
			continue
		}
		pbs, perrs := Parse(f, b, reg)
		errs = append(errs, perrs...)
		for _, p := range pbs {
			if prev, dup := names[p.Name]; dup {
				errs = append(errs, &Error{File: f, Line: p.Line, Column: p.column, Msg: fmt.Sprintf("playbook name %q is also used in %s", p.Name, prev)})
				continue
			}
			names[p.Name] = fmt.Sprintf("%s:%d", f, p.Line)
			out = append(out, p)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

type parser struct {
	file string
	reg  *respond.Registry
	errs []error
}

func (ps *parser) errorf(n *yaml.Node, format string, a ...any) {
	e := &Error{File: ps.file, Msg: fmt.Sprintf(format, a...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	ps.errs = append(ps.errs, e)
}

// Parse reads one file's playbooks: one YAML document each (documents
// separated by ---).
func Parse(file string, b []byte, reg *respond.Registry) ([]*Playbook, []error) {
	ps := &parser{file: file, reg: reg}
	sum := sha256.Sum256(b)
	hash := hex.EncodeToString(sum[:])
	dec := yaml.NewDecoder(bytes.NewReader(b))
	var out []*Playbook
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if err != nil {
			if err.Error() == "EOF" {
				break
			}
			ps.errs = append(ps.errs, &Error{File: file, Line: yamlErrLine(err), Msg: err.Error()})
			break
		}
		if len(doc.Content) == 0 {
			continue
		}
		if p := ps.playbook(doc.Content[0]); p != nil {
			p.File, p.Hash = file, hash
			out = append(out, p)
		}
	}
	if len(out) == 0 && len(ps.errs) == 0 {
		ps.errs = append(ps.errs, &Error{File: file, Msg: "no playbook in the file"})
	}
	return out, ps.errs
}

var lineRE = lazyre.Regexp{Expr: `line (\d+)`}

func yamlErrLine(err error) int {
	if m := lineRE.Get().FindStringSubmatch(err.Error()); m != nil {
		var n int
		fmt.Sscan(m[1], &n)
		return n
	}
	return 0
}

// fields returns a mapping's values by key, reporting unknown and
// duplicate keys.
func (ps *parser) fields(n *yaml.Node, what string, known ...string) map[string]*yaml.Node {
	if n.Kind != yaml.MappingNode {
		ps.errorf(n, "%s must be a mapping", what)
		return nil
	}
	out := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(known, k.Value) {
			ps.errorf(k, "%s: unknown key %q (known: %s)", what, k.Value, strings.Join(known, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			ps.errorf(k, "%s: key %q given twice", what, k.Value)
			continue
		}
		out[k.Value] = v
	}
	return out
}

func (ps *parser) str(n *yaml.Node, what string) string {
	if n == nil {
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		ps.errorf(n, "%s must be a string", what)
		return ""
	}
	return n.Value
}

var stepIDRE = lazyre.Regexp{Expr: `^[a-z][a-z0-9_]*$`}

func (ps *parser) playbook(n *yaml.Node) *Playbook {
	f := ps.fields(n, "playbook", "name", "description", "trigger", "condition", "on_error", "steps")
	if f == nil {
		return nil
	}
	p := &Playbook{Line: n.Line, column: n.Column, Name: ps.str(f["name"], "name"), Description: ps.str(f["description"], "description"),
		Condition: ps.str(f["condition"], "condition"), onError: ps.str(f["on_error"], "on_error")}
	if p.Name == "" {
		ps.errorf(n, "playbook has no name")
	}
	switch p.onError {
	case "":
		p.onError = "stop"
	case "stop", "continue":
	default:
		ps.errorf(f["on_error"], "on_error: %q is neither stop nor continue", p.onError)
	}
	if t := f["trigger"]; t == nil {
		ps.errorf(n, "playbook %s has no trigger (trigger: {findings: ...} or {alerts: ...})", p.Name)
	} else {
		ps.trigger(t, &p.Trigger)
	}
	if p.Condition != "" {
		p.program = ps.condition(f["condition"], p.Condition)
	}
	steps := f["steps"]
	if steps == nil || steps.Kind != yaml.SequenceNode || len(steps.Content) == 0 {
		ps.errorf(n, "playbook %s has no steps", p.Name)
		return p
	}
	seen := map[string]bool{}
	for _, sn := range steps.Content {
		if st := ps.step(sn, seen); st != nil {
			p.steps = append(p.steps, st)
			seen[st.id] = true
		}
	}
	return p
}

func (ps *parser) trigger(n *yaml.Node, t *Trigger) {
	f := ps.fields(n, "trigger", "findings", "alerts")
	if f == nil {
		return
	}
	if len(f) == 0 {
		ps.errorf(n, "trigger: name findings, alerts or both")
	}
	if fn := f["findings"]; fn != nil {
		if ps.fields(fn, "trigger.findings", "rules", "categories", "severities", "providers", "accounts", "tags") == nil {
			return
		}
		t.Findings = &FindingTrigger{}
		if err := fn.Decode(t.Findings); err != nil {
			ps.errorf(fn, "trigger.findings: %v", err)
		}
		for _, s := range t.Findings.Severities {
			if _, err := finding.ParseSeverity(s); err != nil {
				ps.errorf(fn, "trigger.findings.severities: %v", err)
			}
		}
	}
	if an := f["alerts"]; an != nil {
		if ps.fields(an, "trigger.alerts", "rules", "levels", "techniques", "providers", "accounts") == nil {
			return
		}
		t.Alerts = &AlertTrigger{}
		if err := an.Decode(t.Alerts); err != nil {
			ps.errorf(an, "trigger.alerts: %v", err)
		}
		for _, l := range t.Alerts.Levels {
			if !slices.Contains([]string{"informational", "low", "medium", "high", "critical"}, strings.ToLower(l)) {
				ps.errorf(an, "trigger.alerts.levels: %q is not a Sigma level (informational, low, medium, high, critical)", l)
			}
		}
	}
}

func (ps *parser) step(n *yaml.Node, earlier map[string]bool) *Step {
	f := ps.fields(n, "step", "id", "action", "auto", "with")
	if f == nil {
		return nil
	}
	st := &Step{line: n.Line, id: ps.str(f["id"], "id"), action: ps.str(f["action"], "action"),
		with: map[string]*template.Template{}, usesTag: map[string]bool{}, literal: map[string]string{}}
	switch {
	case st.id == "":
		ps.errorf(n, "step has no id")
	case !stepIDRE.Get().MatchString(st.id):
		ps.errorf(f["id"], "step id %q: use lower-case letters, digits and _ (it is used in templates: .steps.%s)", st.id, st.id)
	case earlier[st.id]:
		ps.errorf(f["id"], "step id %q is used twice", st.id)
	}
	if a := f["auto"]; a != nil {
		if err := a.Decode(&st.auto); err != nil {
			ps.errorf(a, "auto: %v", err)
		}
	}
	act, ok := ps.reg.Get(st.action)
	if !ok {
		if st.action == "" {
			ps.errorf(n, "step %s has no action", st.id)
		} else {
			ps.errorf(f["action"], "step %s: %v", st.id, ps.reg.Unknown(st.action))
		}
		return st
	}
	spec := act.Spec()
	if st.auto && spec.Class == respond.Remediate {
		ps.errorf(f["auto"], "step %s: %s changes a cloud and always needs an approved plan: auto is only for notify, ticket and enrich steps", st.id, st.action)
	}
	inputs := map[string]respond.Input{}
	for _, in := range spec.Inputs {
		inputs[in.Name] = in
	}
	given := map[string]bool{}
	if w := f["with"]; w != nil {
		if w.Kind != yaml.MappingNode {
			ps.errorf(w, "step %s: with must be a mapping of input names to values", st.id)
		} else {
			for i := 0; i+1 < len(w.Content); i += 2 {
				k, v := w.Content[i], w.Content[i+1]
				in, ok := inputs[k.Value]
				if !ok {
					ps.errorf(k, "step %s: %s has no input %q (inputs: %s)", st.id, st.action, k.Value, inputNames(spec.Inputs))
					continue
				}
				if v.Kind != yaml.ScalarNode {
					ps.errorf(v, "step %s: input %s must be a string", st.id, k.Value)
					continue
				}
				given[k.Value] = true
				if in.Secret {
					if !respond.IsSecretRef(v.Value) {
						ps.errorf(v, "step %s: input %s is a secret: give a reference (env:NAME or file:PATH), never the value", st.id, k.Value)
					}
					st.literal[k.Value] = v.Value
					continue
				}
				if !strings.Contains(v.Value, "{{") {
					st.literal[k.Value] = v.Value
					continue
				}
				tpl, err := template.New(k.Value).Option("missingkey=error").Funcs(funcs()).Parse(v.Value)
				if err != nil {
					ps.errorf(v, "step %s: input %s: %v", st.id, k.Value, err)
					continue
				}
				for _, msg := range checkRefs(tpl.Tree.Root, earlier) {
					ps.errorf(v, "step %s: input %s: %s", st.id, k.Value, msg)
				}
				st.with[k.Value] = tpl
				st.usesTag[k.Value] = strings.Contains(v.Value, "tag ")
				st.usesSteps = st.usesSteps || strings.Contains(v.Value, "steps")
			}
		}
	}
	for _, in := range spec.Inputs {
		if in.Required && !given[in.Name] {
			ps.errorf(n, "step %s: %s needs input %q", st.id, st.action, in.Name)
		}
	}
	return st
}

func inputNames(in []respond.Input) string {
	var s []string
	for _, i := range in {
		s = append(s, i.Name)
	}
	sort.Strings(s)
	return strings.Join(s, ", ")
}

// Fields of the subject templates and conditions see, and below which a
// reference is free-form.
var (
	subjectFields = []string{"kind", "id", "rule", "title", "category", "severity", "level", "status", "techniques", "message",
		"provider", "account", "region", "resource", "principal", "source_ip", "time", "raw", "steps"}
	resourceFields = []string{"id", "type", "name", "tags"}
)

// checkRefs walks a template and returns what it references that the
// subject does not have: an unknown field, a step that is not earlier.
func checkRefs(n parse.Node, earlier map[string]bool) []string {
	var out []string
	check := func(idents []string) {
		if len(idents) == 0 {
			return
		}
		root := idents[0]
		switch {
		case !slices.Contains(subjectFields, root):
			out = append(out, fmt.Sprintf("{{ .%s }}: a finding or alert has no field %q (fields: %s)", strings.Join(idents, "."), root, strings.Join(subjectFields, ", ")))
		case root == "resource" && len(idents) > 1 && !slices.Contains(resourceFields, idents[1]):
			out = append(out, fmt.Sprintf("{{ .%s }}: a resource has no field %q (fields: %s)", strings.Join(idents, "."), idents[1], strings.Join(resourceFields, ", ")))
		case root == "steps" && len(idents) > 1 && !earlier[idents[1]]:
			out = append(out, fmt.Sprintf("{{ .%s }}: no earlier step has id %q", strings.Join(idents, "."), idents[1]))
		}
	}
	var walk func(parse.Node)
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case nil:
		case *parse.ListNode:
			if x == nil {
				return
			}
			for _, c := range x.Nodes {
				walk(c)
			}
		case *parse.ActionNode:
			walk(x.Pipe)
		case *parse.PipeNode:
			if x == nil {
				return
			}
			for _, c := range x.Cmds {
				walk(c)
			}
		case *parse.CommandNode:
			for _, a := range x.Args {
				walk(a)
			}
		case *parse.FieldNode:
			check(x.Ident)
		case *parse.ChainNode:
			walk(x.Node)
		case *parse.VariableNode:
			if len(x.Ident) > 1 && x.Ident[0] == "$" {
				check(x.Ident[1:])
			}
		case *parse.IfNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.Pipe)
			// Inside range the dot is an element: not checked.
		case *parse.WithNode:
			walk(x.Pipe)
		}
	}
	walk(n)
	return out
}

func (ps *parser) condition(n *yaml.Node, expr string) cel.Program {
	env, err := celEnv()
	if err != nil {
		ps.errorf(n, "condition: %v", err)
		return nil
	}
	ast, iss := env.Compile(expr)
	if iss.Err() != nil {
		ps.errorf(n, "condition: %v", iss.Err())
		return nil
	}
	if msgs := checkCELRefs(ast); len(msgs) > 0 {
		for _, m := range msgs {
			ps.errorf(n, "condition: %s", m)
		}
		return nil
	}
	if ast.OutputType() != cel.BoolType && ast.OutputType() != cel.DynType {
		ps.errorf(n, "condition: the expression is a %s, not a boolean", ast.OutputType())
		return nil
	}
	prg, err := env.Program(ast)
	if err != nil {
		ps.errorf(n, "condition: %v", err)
		return nil
	}
	return prg
}

// checkCELRefs returns the fields a condition selects (subject.X,
// subject.resource.X) that the subject does not have; the same fields as
// templates, below tags and raw anything goes.
func checkCELRefs(a *cel.Ast) []string {
	var out []string
	celast.PostOrderVisit(a.NativeRep().Expr(), celast.NewExprVisitor(func(e celast.Expr) {
		if e.Kind() != celast.SelectKind {
			return
		}
		sel := e.AsSelect()
		op := sel.Operand()
		switch {
		case op.Kind() == celast.IdentKind && op.AsIdent() == "subject":
			if f := sel.FieldName(); !slices.Contains(subjectFields, f) || f == "steps" {
				out = append(out, fmt.Sprintf("subject.%s: a finding or alert has no field %q (fields: %s)", f, f, strings.Join(subjectFields[:len(subjectFields)-1], ", ")))
			}
		case op.Kind() == celast.SelectKind && op.AsSelect().FieldName() == "resource" &&
			op.AsSelect().Operand().Kind() == celast.IdentKind && op.AsSelect().Operand().AsIdent() == "subject":
			if f := sel.FieldName(); !slices.Contains(resourceFields, f) {
				out = append(out, fmt.Sprintf("subject.resource.%s: a resource has no field %q (fields: %s)", f, f, strings.Join(resourceFields, ", ")))
			}
		}
	}))
	return out
}

func celEnv() (*cel.Env, error) {
	// Optional types let a condition read a tag a resource may lack:
	// subject.resource.tags[?"env"].orValue("").
	return cel.NewEnv(cel.Variable("subject", cel.MapType(cel.StringType, cel.DynType)), cel.OptionalTypes())
}
