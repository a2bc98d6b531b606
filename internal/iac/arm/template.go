package arm

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// fileState is what the templates of one file share: the source lines,
// parsed expressions, the step budget and the problems.
type fileState struct {
	file   string
	ls     lines
	exprs  map[string]expr
	steps  int
	probs  []source.Problem
	budget bool // the step budget ran out (reported once)
	// nesting counts the parameters and variables being evaluated, one
	// inside another.
	nesting int
	seen    map[string]bool // problems reported
}

// maxNesting bounds parameters and variables defined by one another.
const maxNesting = 500

func (f *fileState) problem(line int, res, field, msg string) {
	p := source.Problem{Path: f.file, Line: line, Resource: res, Field: field, Err: msg}
	// A copy loop evaluates its body once per instance: the same problem
	// is reported once.
	key := fmt.Sprintf("%d\x00%s\x00%s", line, field, msg)
	if f.seen == nil {
		f.seen = map[string]bool{}
	}
	if f.seen[key] {
		return
	}
	f.seen[key] = true
	f.probs = append(f.probs, p)
}

// overBudget reports, once, that the file's step budget ran out.
func (f *fileState) overBudget(n *jnode, res, field string) {
	if !f.budget {
		f.budget = true
		f.problem(f.ls.line(n.start), res, field, errBudget.Error())
	}
}

// template is one template being evaluated: the file's own, or a nested
// deployment's.
type template struct {
	f     *fileState
	root  *jnode
	ctx   *deployCtx
	lv2   bool // languageVersion 2.0: resources keyed by symbolic name
	pdecl map[string]*jnode
	// params holds the values of parameters given from outside
	// (parameter files, options, a nested deployment), lower-case keys;
	// the others take their defaultValue.
	params  map[string]any
	pvals   map[string]any
	pstate  map[string]uint8
	vars    map[string]*jnode
	vcopies map[string]*jnode
	vvals   map[string]any
	vstate  map[string]uint8
	funcs   map[string]*userFunc
	// outer is the template whose parameters and variables a nested
	// template of the outer evaluation scope reads.
	outer *template
	// calls are the nested deployments the template comes through,
	// outermost first; prefix is their address.
	calls  []resource.Location
	prefix string
}

func newTemplate(f *fileState, root *jnode, ctx *deployCtx) *template {
	t := &template{
		f: f, root: root, ctx: ctx, pdecl: map[string]*jnode{}, params: map[string]any{}, pvals: map[string]any{},
		pstate: map[string]uint8{}, vars: map[string]*jnode{}, vcopies: map[string]*jnode{}, vvals: map[string]any{},
		vstate: map[string]uint8{}, funcs: map[string]*userFunc{},
	}
	if lv := root.get("languageVersion"); lv != nil && lv.kind == jString && strings.HasPrefix(lv.str, "2") {
		t.lv2 = true
	}
	if ps := root.get("parameters"); ps != nil {
		if ps.kind != jObject {
			f.problem(f.ls.line(ps.start), "", "parameters", "parameters is not an object")
		} else {
			for i, k := range ps.keys {
				t.pdecl[strings.ToLower(k)] = ps.vals[i]
			}
		}
	}
	if vs := root.get("variables"); vs != nil {
		if vs.kind != jObject {
			f.problem(f.ls.line(vs.start), "", "variables", "variables is not an object")
		} else {
			for i, k := range vs.keys {
				if strings.EqualFold(k, "copy") && vs.vals[i].kind == jArray {
					for _, c := range vs.vals[i].vals {
						if n := c.get("name"); n != nil && n.kind == jString {
							t.vcopies[strings.ToLower(n.str)] = c
						}
					}
					continue
				}
				t.vars[strings.ToLower(k)] = vs.vals[i]
			}
		}
	}
	t.readFunctions()
	return t
}

// readFunctions reads the user-defined functions (namespace.member).
func (t *template) readFunctions() {
	fs := t.root.get("functions")
	if fs == nil || fs.kind != jArray {
		return
	}
	for _, ns := range fs.vals {
		nn, ms := ns.get("namespace"), ns.get("members")
		if nn == nil || nn.kind != jString || ms == nil || ms.kind != jObject {
			continue
		}
		for i, name := range ms.keys {
			m := ms.vals[i]
			uf := &userFunc{}
			if ps := m.get("parameters"); ps != nil {
				for _, p := range ps.vals {
					if pn := p.get("name"); pn != nil && pn.kind == jString {
						uf.params = append(uf.params, strings.ToLower(pn.str))
					}
				}
			}
			out := m.get("output").get("value")
			if out == nil {
				continue
			}
			uf.out = out
			t.funcs[strings.ToLower(nn.str)+"."+strings.ToLower(name)] = uf
		}
	}
}

// paramTarget is the template whose parameters an expression reads.
func (t *template) paramTarget() *template {
	for t.outer != nil {
		t = t.outer
	}
	return t
}

// parameter returns a parameter's value: given from outside, else its
// default (evaluated), else unknown.
func (t *template) parameter(name string) (any, error) {
	t = t.paramTarget()
	key := strings.ToLower(name)
	decl, ok := t.pdecl[key]
	if !ok {
		return nil, errorf("the template has no parameter %q", name)
	}
	if v, ok := t.params[key]; ok {
		return v, nil
	}
	if v, ok := t.pvals[key]; ok {
		return v, nil
	}
	leave, err := t.enter(t.pstate, key, "parameter", name)
	if err != nil {
		return nil, err
	}
	defer leave()
	v := unk
	if d := decl.get("defaultValue"); d != nil {
		v = t.scope().value(d, "", "parameters."+name, false)
	} else if n := decl.get("nullable"); n != nil && n.kind == jBool && n.b {
		v = nil // an optional parameter (Bicep's type?) left out is null
	}
	t.pvals[key] = v
	return v, nil
}

func (t *template) scope() *scope { return &scope{t: t} }

// enter marks a parameter or variable as being evaluated (state 1, 2 once
// done), refusing one that refers to itself or a chain too deep.
func (t *template) enter(state map[string]uint8, key, what, name string) (leave func(), err error) {
	if state[key] == 1 {
		return nil, errorf("%s %q refers to itself", what, name)
	}
	if t.f.nesting >= maxNesting {
		return nil, errorf("parameters and variables defined by one another deeper than %d levels", maxNesting)
	}
	t.f.nesting++
	state[key] = 1
	return func() { t.f.nesting--; state[key] = 2 }, nil
}

// variable returns a variable's value, evaluated once.
func (t *template) variable(name string) (any, error) {
	t = t.paramTarget()
	key := strings.ToLower(name)
	if v, ok := t.vvals[key]; ok {
		return v, nil
	}
	n, plain := t.vars[key]
	c, copied := t.vcopies[key]
	if !plain && !copied {
		return nil, errorf("the template has no variable %q", name)
	}
	leave, err := t.enter(t.vstate, key, "variable", name)
	if err != nil {
		return nil, err
	}
	defer leave()
	var v any
	if copied {
		v = t.scope().copyArray(c, "", "variables."+name)
	} else {
		v = t.scope().value(n, "", "variables."+name, true)
	}
	t.vvals[key] = v
	return v, nil
}

// maxCopies bounds a copy loop (ARM allows 800).
const maxCopies = 800

// copyCount evaluates a copy loop's count: -1 when unknown.
func (s *scope) copyCount(c *jnode, res, field string) int {
	cn := c.get("count")
	if cn == nil {
		s.t.f.problem(s.t.f.ls.line(c.start), res, field, "the copy loop has no count")
		return 0
	}
	v := s.value(cn, res, field+".count", false)
	if isUnknown(v) {
		return -1
	}
	n, ok := toInt(v)
	if !ok {
		s.t.f.problem(s.t.f.ls.line(cn.start), res, field+".count", fmt.Sprintf("the copy count is a %s", typeName(v)))
		return 0
	}
	if n < 0 {
		n = 0
	}
	if n > maxCopies {
		s.t.f.problem(s.t.f.ls.line(cn.start), res, field+".count",
			fmt.Sprintf("the copy count %d is over ARM's limit of %d; %d read", n, maxCopies, maxCopies))
		n = maxCopies
	}
	return int(n)
}

// copyArray evaluates a {name, count, input} copy element to its array.
func (s *scope) copyArray(c *jnode, res, field string) any {
	name := ""
	if n := c.get("name"); n != nil && n.kind == jString {
		name = n.str
	}
	in := c.get("input")
	if in == nil {
		s.t.f.problem(s.t.f.ls.line(c.start), res, field, "the copy loop has no input")
		return unk
	}
	n := s.copyCount(c, res, field)
	if n < 0 {
		return unk
	}
	out := make([]any, 0, n)
	for i := 0; i < n && s.t.f.steps <= maxSteps; i++ {
		out = append(out, s.withCopy(name, int64(i)).value(in, res, field, true))
	}
	return out
}

// value evaluates a template value: expressions in strings, and "copy"
// elements of objects when copies is true (resource properties and
// variables). An expression that fails is a problem and unknown.
func (s *scope) value(n *jnode, res, field string, copies bool) any {
	f := s.t.f
	if f.steps > maxSteps {
		f.overBudget(n, res, field)
		return unk
	}
	f.steps++
	switch n.kind {
	case jNull:
		return nil
	case jBool:
		return n.b
	case jNumber:
		if i, err := n.num.Int64(); err == nil {
			return i
		}
		x, _ := strconv.ParseFloat(string(n.num), 64)
		return x
	case jString:
		if !isExpression(n.str) {
			return unescape(n.str)
		}
		e, ok := f.exprs[n.str]
		if !ok {
			var err error
			e, err = parseExpr(n.str)
			if err != nil {
				f.problem(f.ls.line(n.start), res, field, fmt.Sprintf("expression %s does not parse: %v", clip(n.str), err))
				f.exprs[n.str] = nil
				return unk
			}
			f.exprs[n.str] = e
		}
		if e == nil {
			return unk // reported where first seen
		}
		v, err := s.eval(e)
		if err == nil {
			// The value's size counts against the budget: values built by
			// sharing can be far larger than the template.
			if f.steps += size(v, maxSteps); f.steps > maxSteps {
				err = errBudget
			}
		}
		if err != nil {
			if errors.Is(err, errBudget) {
				f.overBudget(n, res, field)
				return unk
			}
			f.problem(f.ls.line(n.start), res, field, fmt.Sprintf("%s: %v", clip(n.str), err))
			return unk
		}
		return v
	case jArray:
		out := make([]any, len(n.vals))
		for i, e := range n.vals {
			out[i] = s.value(e, res, field+"["+strconv.Itoa(i)+"]", copies)
		}
		return out
	case jObject:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			sub := field + "." + k
			if field == "" {
				sub = k
			}
			if copies && strings.EqualFold(k, "copy") && isPropertyCopy(n.vals[i]) {
				for _, c := range n.vals[i].vals {
					if cn := c.get("name"); cn != nil && cn.kind == jString {
						out[cn.str] = s.copyArray(c, res, field+"."+cn.str)
					}
				}
				continue
			}
			if isExpression(k) {
				// A key written as an expression (Bicep writes the
				// user-assigned identities' IDs so) is evaluated.
				if kv, ok := s.named().value(&jnode{kind: jString, str: k, start: n.start}, res, sub, false).(string); ok {
					k = kv
				}
			}
			out[k] = s.value(n.vals[i], res, sub, copies)
		}
		return out
	}
	return nil
}

// isPropertyCopy reports whether a "copy" value is a property iteration:
// an array of {name, count, input} (else it is a property named copy).
func isPropertyCopy(n *jnode) bool {
	if n.kind != jArray || len(n.vals) == 0 {
		return false
	}
	for _, c := range n.vals {
		if nn := c.get("name"); nn == nil || nn.kind != jString || c.get("count") == nil || c.get("input") == nil {
			return false
		}
	}
	return true
}

// clip shortens an expression for a message.
func clip(s string) string {
	if len(s) > 120 {
		return s[:117] + "..."
	}
	return s
}

// literal converts a JSON value without evaluating expressions.
func literal(n *jnode, depth int) any {
	switch n.kind {
	case jBool:
		return n.b
	case jNumber:
		if i, err := n.num.Int64(); err == nil {
			return i
		}
		x, _ := strconv.ParseFloat(string(n.num), 64)
		return x
	case jString:
		return n.str
	case jArray:
		out := make([]any, len(n.vals))
		for i, e := range n.vals {
			out[i] = literal(e, depth+1)
		}
		return out
	case jObject:
		out := make(map[string]any, len(n.keys))
		for i, k := range n.keys {
			out[k] = literal(n.vals[i], depth+1)
		}
		return out
	}
	return nil
}

// setParameter gives a parameter a value from outside (a value as text
// from the options is converted to the declared type).
func (t *template) setParameter(name string, v any) {
	t.params[strings.ToLower(name)] = v
}

// textParameter converts an option's text to the parameter's declared type.
func (t *template) textParameter(name, text string) (any, error) {
	decl := t.pdecl[strings.ToLower(name)]
	typ := ""
	if tn := decl.get("type"); tn != nil && tn.kind == jString {
		typ = strings.ToLower(tn.str)
	}
	if tt := strings.TrimSpace(text); typ == "" && (strings.HasPrefix(tt, "{") || strings.HasPrefix(tt, "[")) {
		typ = "object" // a user-defined type ($ref) given as JSON
	}
	switch typ {
	case "int":
		i, err := strconv.ParseInt(strings.TrimSpace(text), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("parameter %s is an int: %q is not", name, text)
		}
		return i, nil
	case "bool":
		b, err := strconv.ParseBool(strings.TrimSpace(text))
		if err != nil {
			return nil, fmt.Errorf("parameter %s is a bool: %q is not", name, text)
		}
		return b, nil
	case "array", "object", "secureobject":
		var v any
		d := json.NewDecoder(strings.NewReader(text))
		d.UseNumber()
		if err := d.Decode(&v); err != nil {
			return nil, fmt.Errorf("parameter %s is an %s: %v", name, typ, err)
		}
		return fromJSON(v), nil
	}
	return text, nil
}
