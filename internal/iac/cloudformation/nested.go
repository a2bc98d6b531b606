package cloudformation

import (
	"path"
	"slices"
	"strings"

	"github.com/vigil-sec/vigil/internal/source"
)

// maxNesting bounds a chain of nested stacks.
const maxNesting = 8

// nest is a nested stack's template being read in its parent's batch: an
// AWS::CloudFormation::Stack (or SAM AWS::Serverless::Application) whose
// TemplateURL (Location) is a template of the scanned tree, as written
// before `aws cloudformation package` uploads it. Its resources are the
// parent's stack's, judged with the parameters the parent passes.
type nest struct {
	// id is the nested stack resource's ID in its parent; addr its address.
	id, addr string
	// values are the parameters passed, evaluated in the parent (a value
	// known only at deploy is unknown); written says, per parameter, whether
	// the parent writes its value (credentials.go).
	values  map[string]any
	written map[string][2]bool
	// chain holds the templates from the outermost stack to this one.
	chain []string
	// alarms collects the CIS metric filter and alarm inputs of every
	// template of the outermost stack (alarms.go), judged together.
	alarms *alarmInputs
}

// stackTypes are the resource types deploying a nested stack.
var stackTypes = map[string]bool{"AWS::CloudFormation::Stack": true, "AWS::Serverless::Application": true}

// nestedTemplate is the template file (relative to the scanned root) that
// the nested stack resource r deploys, "" when r is not one or its template
// is not a local file (an S3 or HTTPS URL, a Serverless Application
// Repository application, a value known only at deploy).
func (m *mapper) nestedTemplate(r *res) string {
	return nestedPath(m.file, r.typ(), r.p)
}

// nestedPath is the template file that a stack resource of type typ with
// the evaluated properties p, in the template file from, deploys ("" as
// for nestedTemplate).
func nestedPath(from, typ string, p map[string]any) string {
	var loc any
	switch typ {
	case "AWS::CloudFormation::Stack":
		loc = p["TemplateURL"]
	case "AWS::Serverless::Application":
		loc = p["Location"]
	default:
		return ""
	}
	s, ok := loc.(string)
	if !ok || s == "" || strings.Contains(s, "://") || strings.Contains(s, ".amazonaws.com") {
		return ""
	}
	s = strings.TrimPrefix(s, "file://")
	if path.IsAbs(s) {
		return ""
	}
	p2 := path.Clean(path.Join(path.Dir(from), s))
	if p2 == ".." || strings.HasPrefix(p2, "../") {
		return "" // outside the scanned tree
	}
	return p2
}

// nested reads, in place, the template of the nested stack resource r (if
// it is one with a local template): its resources join batch under r's
// address ("Parent > Child"), located in their own file.
func (m *mapper) nested(r *res, batch *source.Batch) {
	file := m.nestedTemplate(r)
	if file == "" {
		return
	}
	var chain []string
	if m.nest != nil {
		chain = m.nest.chain
	} else {
		chain = []string{m.file}
	}
	m.cur = r
	defer func() { m.cur = nil }()
	if slices.Contains(chain, file) || len(chain) >= maxNesting {
		m.problem("TemplateURL", "nested stack template %s: a cycle or more than %d nested levels; not read", file, maxNesting)
		return
	}
	data, err := m.opts.load(file)
	if err != nil {
		m.problem("TemplateURL", "nested stack template %s: %v; its resources are not scanned", file, err)
		m.probs[len(m.probs)-1].Warning = true
		return
	}
	n := &nest{id: m.rid(r.id()), addr: m.addr(r.id()), values: map[string]any{}, written: map[string][2]bool{},
		chain: append(slices.Clip(chain), file), alarms: m.alarms}
	params, _ := r.p["Parameters"].(map[string]any)
	raw, _ := r.raw.props["Parameters"].(map[string]any)
	for k, v := range params {
		n.values[k] = m.foreign(v, 0)
		w, d := m.written(raw[k], 0)
		n.written[k] = [2]bool{w, d}
	}
	opts := m.opts
	opts.StackName = "" // the nested stack's name is made at deploy
	r.joined = true
	m.reached = append(append(m.reached, file), read(file, data, opts, n, batch)...)
}

// addr is the address of a logical ID of the template: after the nested
// stack resource's address and " > " in a nested stack.
func (m *mapper) addr(id string) string {
	if m.nest != nil {
		return m.nest.addr + " > " + id
	}
	return id
}

// foreign is a value of m's template as a nested template sees it: its
// unknowns name no resource of the nested template, and keep the
// resources they come from as outer resource IDs.
func (m *mapper) foreign(v any, depth int) any { return foreign(v, m.rid, depth) }

// foreign is v, a value of a template whose resource IDs rid gives, as
// another template of the stack sees it: its unknowns' resources become
// outer resource IDs.
func foreign(v any, rid func(string) string, depth int) any {
	if depth > maxDepth {
		return open("")
	}
	switch t := v.(type) {
	case *unknown:
		u := &unknown{open: t.open, text: t.text, outer: slices.Clone(t.outer)}
		for _, r := range t.refs {
			u.outer = append(u.outer, rid(r))
		}
		return u
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			out[k] = foreign(x, rid, depth+1)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, x := range t {
			out[i] = foreign(x, rid, depth+1)
		}
		return out
	}
	return v
}

// stackOutputs reads, for one template's evaluator, the outputs of the
// nested stacks it deploys from template files of the tree: a parent's
// Fn::GetAtt Stack.Outputs.Name is the child's output evaluated with the
// parameters the parent passes, its resources named by their resource IDs
// (as the child's mapper names them), so a condition on it
// (!Equals [!GetAtt Logs.Outputs.BucketName, ""]) is decided and a value
// the child writes literally is known.
type stackOutputs struct {
	e    *evaluator
	file string
	// rid gives the resource IDs of the template's resources.
	rid   func(id string) string
	chain []string
	opts  Options
	// children are the nested stacks' evaluators read so far (nil: not
	// readable), active the stacks whose output is being evaluated.
	children map[string]*evaluator
	active   map[string]bool
}

func newStackOutputs(e *evaluator, file string, rid func(string) string, chain []string, opts Options) *stackOutputs {
	if opts.load == nil {
		return nil
	}
	return &stackOutputs{e: e, file: file, rid: rid, chain: chain, opts: opts}
}

// output is the output name of the nested stack resource id; ok is false
// when its template or that output cannot be read.
func (so *stackOutputs) output(id, name string, depth int) (v any, ok bool) {
	if so.active[id] {
		return nil, false // an output depending on itself through the parent
	}
	if so.active == nil {
		so.active = map[string]bool{}
	}
	so.active[id] = true
	defer delete(so.active, id)
	ce := so.child(id, depth)
	if ce == nil {
		return nil, false
	}
	o, _ := ce.t.outputs[name].(map[string]any)
	raw, found := o["Value"]
	if !found {
		return nil, false
	}
	v = ce.eval(raw, 0)
	ce.drain() // reported when the child is read in place
	u := foreign(v, ce.stacks.rid, 0)
	if x, isU := u.(*unknown); isU {
		x.refs = []string{id} // it depends on the stack resource too
	}
	return u, true
}

// child is the evaluator of the template the stack resource id deploys,
// given the parameters it passes; nil when it cannot be read.
func (so *stackOutputs) child(id string, depth int) *evaluator {
	if ce, done := so.children[id]; done {
		return ce
	}
	if so.children == nil {
		so.children = map[string]*evaluator{}
	}
	so.children[id] = nil
	var r *rawResource
	for _, x := range so.e.t.resources {
		if x.id == id {
			r = x
			break
		}
	}
	if r == nil || r.props == nil {
		return nil
	}
	p := map[string]any{}
	for _, k := range []string{"TemplateURL", "Location"} {
		if x, has := r.props[k]; has {
			p[k] = so.e.eval(x, depth+1)
		}
	}
	file := nestedPath(so.file, r.typ, p)
	if file == "" || slices.Contains(so.chain, file) || len(so.chain) >= maxNesting {
		return nil
	}
	data, err := so.opts.load(file)
	if err != nil {
		return nil
	}
	t, _ := parse(file, data)
	if t == nil {
		return nil
	}
	opts := so.opts
	opts.StackName = ""
	given := map[string]any{}
	params, _ := so.e.eval(r.props["Parameters"], depth+1).(map[string]any)
	for k, v := range params {
		given[k] = foreign(v, so.rid, 0)
	}
	if len(t.loops) > 0 {
		expandLoops(t, opts, given)
	}
	ce := newEvaluator(t, opts)
	ce.given = given
	nestID := so.rid(id)
	ce.stacks = newStackOutputs(ce, file, func(x string) string { return nestID + " > " + file + ":" + x },
		append(slices.Clip(so.chain), file), opts)
	so.children[id] = ce
	return ce
}
