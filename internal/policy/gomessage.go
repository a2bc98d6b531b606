package policy

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/resource"
)

// Messages on the Go fields. A rule's `message` of the form
//
//	message[r.id] := <text> if {
//		some r in input.resources.<its class>
//		r.id in fail
//	}
//
// whose <text> is built of string constants (literals or constants of the
// module), references to the resource's fields, sprintf(<constant format>,
// [<texts or references>]), concat(<constant separator>, [<texts>]) and the
// native library helpers below, is computed by the engine on the failing
// resources' Go fields, as OPA computes it on their Rego terms: sprintf's
// arguments are converted as OPA's sprintf converts them (an integer as an
// int64, a string as itself, any other value as its Rego text), and a
// reference that is undefined leaves the resource without a message, as
// the undefined expression leaves OPA's message object without its key.
// Such a rule's failing resources are not converted to Rego terms for
// OPA's message query (3 to 8 KB of allocations each, and OPA's walk of
// the message's helpers, 20-40 µs per resource for net.exposure_note).
// TestGoMessagesMatchOPA and the comparisons of the whole pack with OPA
// check both agree.

// A msgExpr is a message's text, or a part of it.
type msgExpr struct {
	kind   msgKind
	s      string     // msgConst: the text; msgSprintf: the format; msgConcat: the separator
	nav    *goNav     // msgRef: the path below the resource
	args   []*msgExpr // msgSprintf, msgConcat
	native nativeHelper
	ports  []int64  // msgNative: the constant set of ports, in order
	key    *goNav   // msgObjectGet: the key below the object
	def    *msgExpr // msgObjectGet: the default (a msgRef)
	// portsOf: msgNative's ports computed (a msgPorts) rather than
	// constant; msgPortJoin's list of ports.
	portsOf *msgExpr
	// portConds: msgPorts's conditions, per port of ports (ascending),
	// on the resource; nav is the firewall argument's path.
	portConds [][]directCond
	choices   []msgLink        // msgChoice, msgDefs
	n         int64            // msgNum; msgSubstring's offset
	length    int64            // msgSubstring
	table     map[string]int64 // msgIndex
	// body: msgSetJoin's conditions on the resource, ending with the
	// opEmit of the comprehension's element.
	body []directCond
	// lvl: a msgRef, msgObjectGet, msgJoin or msgAge reads its path from
	// the element a msgList binds at this level (0: from the resource).
	lvl uint8
	// level: an msgList over a collection (each) binds its elements at
	// this level.
	level uint8
	each  bool
}

type msgKind uint8

const (
	msgConst msgKind = iota
	msgRef
	msgSprintf
	msgConcat
	msgNative
	msgObjectGet // object.get(<ref to an object>, "<key>", <ref>): nav, key, def
	// msgPorts is lib/net's exposed_ports(<ref>, <constant set of
	// ports>): the ports (ascending) for which exposes_port(<ref>, port),
	// read in the direct form, holds; a set, not a text.
	msgPorts
	// msgPortJoin is concat(<separator>, [sprintf("%d", [p]) | some p in
	// sort(<msgPorts>)]): the ports in decimal, ascending.
	msgPortJoin
	// msgGuard is def, when every value of args (the body's assignments)
	// is defined.
	msgGuard
	// msgJoin is concat(<separator>, <ref to a list of strings>): nav is
	// the list's path.
	msgJoin
	// msgChoice is a call f(r) of a function of the module with an else
	// chain (value(r) := sprintf(...) if <conditions> else := "..."): the
	// text of the first link whose conditions hold and whose text is
	// defined (OPA evaluates a head's calls in its body), from choices.
	msgChoice
	// msgAge is lib/time's age_days(<ref>) (gotime.go), nav the
	// timestamp's path: a number, only as an argument of sprintf.
	msgAge
	// msgNum is an integer constant of the module (n), only as an
	// argument of sprintf.
	msgNum
	// msgIndex is <constant object of integers>[<ref to a string>]
	// (max_days[r.provider]): table's value at the key, nav the key's
	// path; a number, only as an argument of sprintf.
	msgIndex
	// msgDefs is a message of several definitions, each with its
	// conditions on the resource (choices, in the module's order): the
	// text of the definitions that hold, which must agree (OPA's
	// partial object has one value per key: conflicting ones are an
	// error, evalTop).
	msgDefs
	// msgSetJoin is concat(<separator>, sort(f(r))), f a function of the
	// module whose value is a set comprehension over the resource's
	// elements, its body in the direct form (f(r) := {s | some x in
	// r.facts...; <conditions>; some s in x...; <conditions>}): the
	// elements every binding of the body reaches, sorted, joined.
	msgSetJoin
	// msgList is an array comprehension of texts, a list (only as
	// concat's list, msgListJoin): either unrolled over a constant array
	// (`[p | some k in ["a", "b"]; <conditions>; p := <text>]`: choices,
	// one link per element, its conditions and text read with k replaced
	// by the element), or (each) over a list below the resource, nav
	// (`[f(l) | some l in r.facts...; <conditions on l>]`: choices[0],
	// its conditions and text read on each element, bound at level): the
	// texts of the links (elements) whose conditions hold and whose text
	// is defined, in order.
	msgList
	// msgListJoin is concat(<separator>, <msgList>) (def the list).
	msgListJoin
	// msgSubstring is substring(<text>, <integer>, <integer>) (def the
	// text, n the offset, length the length), as OPA's substring cuts it:
	// in runes, a negative length taking the rest.
	msgSubstring
)

// msgEnv is what a message's parts are evaluated in: the resource, input.now
// and the elements a msgList binds, by level, as reflect values (el) and
// for the direct conditions (g.v).
type msgEnv struct {
	r  *resource.Resource
	el [maxLevels + 1]reflect.Value
	g  goEnv
}

// root is where a path of level lvl starts: the resource (0), or the
// element bound at lvl.
func (env *msgEnv) root(lvl uint8) reflect.Value {
	if lvl > 0 {
		return env.el[lvl]
	}
	return reflect.ValueOf(env.r).Elem()
}

// An elemBind is an element variable of a msgList (or a function's
// parameter bound to one): its level and static type.
type elemBind struct {
	level uint8
	t     reflect.Type
}

// A msgLink is one definition of a msgChoice's chain: its conditions on
// the resource (direct form, on the Go fields) and its text.
type msgLink struct {
	conds []directCond
	text  *msgExpr
}

// exposedPortsFingerprint is the fingerprint of lib/net's exposed_ports,
// which msgPorts computes as a set comprehension of exposes_port over the
// ports: when its text changes, such messages are left to OPA until the
// Go code follows (TestNativeLibFingerprints).
const exposedPortsFingerprint = "21bdd8707d173cc60e46b106cdea74ce4786c03e7c45ec548ed9c9b3baaa8713"

// A nativeHelper computes a library function of (resource, constant set of
// ports) on the Go fields; ok is false when the Rego function is undefined.
type nativeHelper func(r *resource.Resource, ports []int64) (string, bool)

// nativeLib is a library package whose functions the engine computes in Go
// when the package's Rego text of them is the one the Go code follows.
type nativeLib struct {
	// rules are the names of the package's rules the helpers depend on
	// (fingerprinted together).
	rules       []string
	fingerprint string
	helpers     map[string]nativeHelper
}

// nativeLibs are the library packages with native helpers, by package path.
// The fingerprint is of the Rego text of the rules listed: when a change to
// the library alters one of them, the helpers are no longer used (OPA
// computes those messages, as before) until the Go code follows the change
// and the fingerprint is updated (TestNativeLibFingerprints fails
// meanwhile).
var nativeLibs = map[string]nativeLib{
	"data.vigil.lib.net": {
		rules:       []string{"exposure_note", "exposure_subject", "exposure_reaches", "reached_ports", "path_hits", "port_text", "first_path"},
		fingerprint: "7abea553a54b07ac88f336f707dfdb0836b1f963708836782b01ea0802ad45e3",
		helpers: map[string]nativeHelper{
			"exposure_note": exposureNote,
			"first_path":    firstPath,
		},
	},
}

// libFingerprint is the fingerprint of the Rego text of the rules names of
// module m (in the module's order).
func libFingerprint(m *ast.Module, names []string) string {
	h := sha256.New()
	for _, r := range m.Rules {
		if slices.Contains(names, ruleName(r)) && r.Location != nil {
			h.Write(r.Location.Text)
			h.Write([]byte{0})
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// messageVar reads what every message of the Go form begins with,
// message[v.id] := ... if { some v in input.resources.<class>; ... }: the
// resource's variable v, false for another shape. msg has a head value,
// a two-part reference and a body.
func messageVar(msg *ast.Rule, class string) (ast.Var, bool) {
	key, ok := msg.Head.Reference[1].Value.(ast.Ref)
	if !ok || len(key) != 2 || !key[1].Equal(ast.StringTerm("id")) {
		return "", false
	}
	v, ok := key[0].Value.(ast.Var)
	if !ok || v.IsWildcard() {
		return "", false
	}
	sd, ok := msg.Body[0].Terms.(*ast.SomeDecl)
	if !ok || msg.Body[0].Negated || len(msg.Body[0].With) > 0 || len(sd.Symbols) != 1 {
		return "", false
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() || !call[1].Equal(ast.VarTerm(string(v))) ||
		!call[2].Equal(ast.RefTerm(ast.InputRootDocument, ast.StringTerm("resources"), ast.StringTerm(class))) {
		return "", false
	}
	return v, true
}

// goMessage returns the Go form of module m's message, or nil when it is
// not of that form.
func goMessage(m *ast.Module, class string, lib func(pkg string) *ast.Module) *msgExpr {
	var msgs []*ast.Rule
	for _, r := range m.Rules {
		if ruleName(r) == "message" {
			msgs = append(msgs, r)
		}
	}
	if len(msgs) > 1 {
		return goMessageDefs(m, msgs, class, lib)
	}
	if len(msgs) == 0 {
		return nil
	}
	msg := msgs[0]
	if msg.Else != nil || msg.Default || msg.Head.Value == nil || len(msg.Head.Reference) != 2 || len(msg.Body) < 2 {
		return nil
	}
	v, ok := messageVar(msg, class)
	if !ok {
		return nil
	}
	// r.id in fail
	in := msg.Body[1]
	if in.Negated || len(in.With) > 0 || !in.IsCall() || in.Operator().String() != ast.Member.Ref().String() || len(in.Operands()) != 2 ||
		!in.Operands()[0].Equal(ast.RefTerm(ast.VarTerm(string(v)), ast.StringTerm("id"))) || !in.Operands()[1].Equal(ast.VarTerm("fail")) {
		return nil
	}
	mc := &msgCompiler{res: v, helpers: newModCtx(m, lib, 0), imports: map[string]*ast.Module{}, vars: map[ast.Var]*msgExpr{}}
	if _, defined := mc.helpers.funcs["fail"]; defined {
		return nil
	}
	if lib != nil {
		mc.imports = importedLibs(m, lib)
	}
	// Then `<var> := ...` assignments the text may use: object.get, lib/net's
	// exposed_ports, an array comprehension (msgList), a reference below
	// the resource (an alias: the rest of the body and the text read it
	// in its place), or any text of the message's form.
	body := slices.Clone(msg.Body[2:])
	head := msg.Head.Value
	for i, a := range body {
		if !a.IsAssignment() || a.Negated || len(a.With) > 0 {
			return nil
		}
		name, ok := a.Operand(0).Value.(ast.Var)
		if !ok || name == v || mc.vars[name] != nil {
			return nil
		}
		if _, shadows := mc.helpers.strs[string(name)]; shadows {
			return nil
		}
		rhs := a.Operand(1)
		if ref, isRef := rhs.Value.(ast.Ref); isRef && directRef(ref, v) {
			// name := r.<path>: undefined when the path is (the guard).
			x, ok := mc.expr(rhs, 1)
			if !ok || x.kind != msgRef || declares(body[i+1:], name) {
				return nil
			}
			if head, ok = substituteRef(head, name, ref); !ok {
				return nil
			}
			for k := i + 1; k < len(body); k++ {
				if body[k], ok = substituteExpr(body[k], name, ast.NewTerm(ref)); !ok {
					return nil
				}
			}
			mc.vars[name] = x
			continue
		}
		x, ok := mc.objectGet(rhs)
		if !ok {
			x, ok = mc.exposedPorts(rhs)
		}
		if !ok {
			x, ok = mc.expr(rhs, 1)
		}
		if !ok {
			return nil
		}
		mc.vars[name] = x
	}
	e, ok := mc.text(head, 0)
	if !ok || e.isValue() && e.leafKind() != reflect.String {
		return nil
	}
	if len(mc.vars) > 0 {
		// An assignment that is undefined leaves the resource without a
		// message, whether the text uses its variable or not.
		g := &msgExpr{kind: msgGuard, def: e}
		for _, a := range body {
			if x := mc.vars[a.Operand(0).Value.(ast.Var)]; x != e {
				g.args = append(g.args, x)
			}
		}
		return g
	}
	return e
}

// declares reports whether exprs declare v anew (some v, v := ...), which
// a substitution of v must not cross.
func declares(exprs []*ast.Expr, v ast.Var) bool {
	found := false
	for _, x := range exprs {
		ast.WalkExprs(x, func(e *ast.Expr) bool {
			if sd, ok := e.Terms.(*ast.SomeDecl); ok {
				for _, sym := range sd.Symbols {
					ast.WalkVars(sym, func(w ast.Var) bool {
						found = found || w == v
						return false
					})
				}
			}
			if e.IsAssignment() && e.Operand(0).Equal(ast.VarTerm(string(v))) {
				found = true
			}
			return found
		})
	}
	return found
}

// substituteRef returns a copy of t with the variable v read as the
// reference sub (v.<key> becomes <sub>.<key>, v itself <sub>); ok is false
// when v is declared anew inside t (a comprehension's some v).
func substituteRef(t *ast.Term, v ast.Var, sub ast.Ref) (*ast.Term, bool) {
	if t == nil {
		return nil, true
	}
	return substituteTerm(t, v, ast.NewTerm(sub))
}

// substituteTerm is substituteVar of a copy of t.
func substituteTerm(t *ast.Term, v ast.Var, with *ast.Term) (*ast.Term, bool) {
	out, ok := substituteVar(t.Copy(), v, with)
	if !ok {
		return nil, false
	}
	switch o := out.(type) {
	case *ast.Term:
		return o, true
	case ast.Value:
		return ast.NewTerm(o), true
	}
	return nil, false
}

// substituteExpr is substituteRef of an expression (with any term).
func substituteExpr(e *ast.Expr, v ast.Var, with *ast.Term) (*ast.Expr, bool) {
	out, ok := substituteVar(e.Copy(), v, with)
	if !ok {
		return nil, false
	}
	x, ok := out.(*ast.Expr)
	return x, ok
}

// substituteVar replaces, in node x (a *ast.Term or *ast.Expr it may
// change in place), the variable v by the term with: a reference
// v.<key>... by with's reference extended (with a reference), a bare v by
// with. ok is false when v is declared anew inside x, or with is not a
// reference and heads one.
func substituteVar(x any, v ast.Var, with *ast.Term) (any, bool) {
	ok := true
	ast.WalkExprs(x, func(e *ast.Expr) bool {
		if declares([]*ast.Expr{e}, v) {
			ok = false
		}
		return !ok
	})
	if !ok {
		return nil, false
	}
	tr := func(x any) (any, error) {
		switch y := x.(type) {
		case ast.Ref:
			if head, isVar := y[0].Value.(ast.Var); isVar && head == v {
				base, isRef := with.Value.(ast.Ref)
				if !isRef {
					ok = false
					return x, nil
				}
				return append(base.Copy(), y[1:].Copy()...), nil
			}
		case ast.Var:
			if y == v {
				return with.Value, nil
			}
		}
		return x, nil
	}
	out, err := ast.Transform(ast.NewGenericTransformer(tr), x)
	if err != nil || !ok {
		return nil, false
	}
	return out, true
}

// goMessageDefs returns the Go form of a message of several definitions
//
//	message[r.id] := <text> if {
//		some r in input.resources.<class>
//		r.id in fail               # optional: only failing resources are asked
//		<conditions on r, in the direct form>
//	}
//
// or nil when a definition is not of that form.
func goMessageDefs(m *ast.Module, msgs []*ast.Rule, class string, lib func(pkg string) *ast.Module) *msgExpr {
	helpers := newModCtx(m, lib, 0)
	if _, defined := helpers.funcs["fail"]; defined {
		return nil
	}
	var imports map[string]*ast.Module
	if lib != nil {
		imports = importedLibs(m, lib)
	}
	e := &msgExpr{kind: msgDefs}
	for _, msg := range msgs {
		if msg.Else != nil || msg.Default || msg.Head.Value == nil || len(msg.Head.Reference) != 2 || len(msg.Body) < 1 {
			return nil
		}
		v, ok := messageVar(msg, class)
		if !ok {
			return nil
		}
		body := msg.Body[1:]
		if len(body) > 0 {
			in := body[0]
			if !in.Negated && len(in.With) == 0 && in.IsCall() && in.Operator().String() == ast.Member.Ref().String() && len(in.Operands()) == 2 &&
				in.Operands()[0].Equal(ast.RefTerm(ast.VarTerm(string(v)), ast.StringTerm("id"))) && in.Operands()[1].Equal(ast.VarTerm("fail")) {
				body = body[1:]
			}
		}
		var conds []directCond
		if len(body) > 0 {
			sc := &scope{res: v, vars: map[ast.Var]uint8{}, helpers: helpers}
			cs, ok := sc.conds(body, 0)
			if !ok {
				return nil
			}
			setGoPaths(cs)
			var types [maxLevels + 1]reflect.Type
			if !compileGoConds(cs, &types) {
				return nil
			}
			conds = cs
		}
		mc := &msgCompiler{res: v, helpers: helpers, imports: imports, vars: map[ast.Var]*msgExpr{}}
		text, ok := mc.text(msg.Head.Value, 0)
		if !ok || text.isValue() && text.leafKind() != reflect.String {
			return nil
		}
		e.choices = append(e.choices, msgLink{conds: conds, text: text})
	}
	return e
}

type msgCompiler struct {
	res     ast.Var
	helpers *modCtx
	imports map[string]*ast.Module // alias -> one-file library module
	vars    map[ast.Var]*msgExpr   // assigned in the body
	// elems are the element variables bound by the msgLists (or a
	// function's parameter bound to one) around the text; level the
	// deepest level bound.
	elems map[ast.Var]elemBind
	level uint8
}

// elem returns the element variable t names, if any.
func (mc *msgCompiler) elem(t *ast.Term) (elemBind, bool) {
	var v ast.Var
	switch x := t.Value.(type) {
	case ast.Var:
		v = x
	case ast.Ref:
		if len(x) != 1 {
			return elemBind{}, false
		}
		v, _ = x[0].Value.(ast.Var)
	}
	if _, local := mc.vars[v]; local || v == mc.res {
		return elemBind{}, false
	}
	b, ok := mc.elems[v]
	return b, ok
}

// scope is the scope of the direct conditions beside the text: the
// resource and the element variables.
func (mc *msgCompiler) scope() (*scope, *[maxLevels + 1]reflect.Type) {
	sc := &scope{res: mc.res, vars: map[ast.Var]uint8{}, helpers: mc.helpers}
	var types [maxLevels + 1]reflect.Type
	for v, b := range mc.elems {
		sc.vars[v] = b.level
		types[b.level] = b.t
	}
	return sc, &types
}

// conds compiles conditions in the direct form (on the Go fields) beside
// the text: on the resource and the element variables.
func (mc *msgCompiler) conds(exprs []*ast.Expr) ([]directCond, bool) {
	if len(exprs) == 0 {
		return nil, true
	}
	sc, types := mc.scope()
	cs, ok := sc.conds(exprs, mc.level)
	if !ok {
		return nil, false
	}
	setGoPaths(cs)
	if !compileGoConds(cs, types) {
		return nil, false
	}
	return cs, true
}

// inner returns a compiler for a nested text: the same names, and the
// variables assigned so far.
func (mc *msgCompiler) inner() *msgCompiler {
	c := *mc
	c.vars = maps.Clone(mc.vars)
	if c.vars == nil {
		c.vars = map[ast.Var]*msgExpr{}
	}
	return &c
}

// list reads an array comprehension of texts (msgList):
//
//	[<text> | some k in [<scalars>]; <conditions>; <var> := <text>...]
//	[<text> | some l in <reference to a list>; <conditions>; <var> := <text>...]
//
// the first unrolled (each element replacing k), the second evaluated on
// each element of the list (l bound at the next level). The conditions
// are in the direct form on the resource and the elements, the
// assignments are texts (undefined: no element).
func (mc *msgCompiler) list(ac *ast.ArrayComprehension, depth int) (*msgExpr, bool) {
	if len(ac.Body) == 0 || depth > 8 {
		return nil, false
	}
	first := ac.Body[0]
	sd, ok := first.Terms.(*ast.SomeDecl)
	if !ok || first.Negated || len(first.With) > 0 || len(sd.Symbols) != 1 {
		return nil, false
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() {
		return nil, false
	}
	x, ok := call[1].Value.(ast.Var)
	if !ok || x.IsWildcard() || x == mc.res {
		return nil, false
	}
	if _, taken := mc.vars[x]; taken {
		return nil, false
	}
	if _, taken := mc.elems[x]; taken {
		return nil, false
	}
	rest := ac.Body[1:]
	if arr, isArr := call[2].Value.(*ast.Array); isArr {
		e := &msgExpr{kind: msgList}
		for i := range arr.Len() {
			k := arr.Elem(i)
			switch k.Value.(type) {
			case ast.String, ast.Number, ast.Boolean, ast.Null:
			default:
				return nil, false
			}
			body := make([]*ast.Expr, len(rest))
			for j, b := range rest {
				if body[j], ok = substituteExpr(b, x, k); !ok {
					return nil, false
				}
			}
			term, ok := substituteTerm(ac.Term, x, k)
			if !ok {
				return nil, false
			}
			link, ok := mc.item(body, term, depth)
			if !ok {
				return nil, false
			}
			e.choices = append(e.choices, link)
		}
		return e, true
	}
	coll, ok := mc.expr(call[2], depth+1)
	if !ok || coll.kind != msgRef || mc.level+1 > maxLevels {
		return nil, false
	}
	lt := coll.nav.leaf
	for lt.Kind() == reflect.Pointer {
		lt = lt.Elem()
	}
	if lt.Kind() != reflect.Slice {
		return nil, false
	}
	in := mc.inner()
	in.level = mc.level + 1
	in.elems = maps.Clone(mc.elems)
	if in.elems == nil {
		in.elems = map[ast.Var]elemBind{}
	}
	in.elems[x] = elemBind{level: in.level, t: lt.Elem()}
	link, ok := in.item(rest, ac.Term, depth)
	if !ok {
		return nil, false
	}
	return &msgExpr{kind: msgList, each: true, nav: coll.nav, lvl: coll.lvl, level: in.level, choices: []msgLink{link}}, true
}

// item reads one element of a msgList: the comprehension's conditions and
// assignments (body), and its term.
func (mc *msgCompiler) item(body []*ast.Expr, term *ast.Term, depth int) (msgLink, bool) {
	in := mc.inner()
	var conds []*ast.Expr
	var locals []*msgExpr
	assigned := map[ast.Var]bool{}
	for _, x := range body {
		if !x.IsAssignment() {
			conds = append(conds, x)
			continue
		}
		name, ok := x.Operand(0).Value.(ast.Var)
		if !ok || x.Negated || len(x.With) > 0 || name == mc.res || in.vars[name] != nil {
			return msgLink{}, false
		}
		if _, taken := in.elems[name]; taken {
			return msgLink{}, false
		}
		v, ok := in.expr(x.Operand(1), depth+1)
		if !ok || v.kind == msgPorts {
			return msgLink{}, false
		}
		in.vars[name] = v
		assigned[name] = true
		locals = append(locals, v)
	}
	// The conditions may not read the variables assigned here.
	for _, c := range conds {
		uses := false
		ast.WalkVars(c, func(v ast.Var) bool {
			uses = uses || assigned[v]
			return uses
		})
		if uses {
			return msgLink{}, false
		}
	}
	text, ok := in.text(term, depth+1)
	if !ok {
		return msgLink{}, false
	}
	if len(locals) > 0 {
		g := &msgExpr{kind: msgGuard, def: text}
		for _, l := range locals {
			if l != text {
				g.args = append(g.args, l)
			}
		}
		text = g
	}
	cs, ok := mc.conds(conds)
	if !ok {
		return msgLink{}, false
	}
	return msgLink{conds: cs, text: text}, true
}

// objectGet reads object.get(<ref to an object>, "<key>", <ref>), the
// object a struct or map of the Go fields.
func (mc *msgCompiler) objectGet(t *ast.Term) (*msgExpr, bool) {
	call, ok := t.Value.(ast.Call)
	if !ok || len(call) != 4 || call[0].String() != ast.ObjectGet.Ref().String() {
		return nil, false
	}
	obj, ok := mc.expr(call[1], 1)
	if !ok || obj.kind != msgRef {
		return nil, false
	}
	ot := obj.nav.leaf
	for ot.Kind() == reflect.Pointer {
		ot = ot.Elem()
	}
	if ot.Kind() != reflect.Struct && ot.Kind() != reflect.Map {
		return nil, false
	}
	k, ok := call[2].Value.(ast.String)
	if !ok {
		return nil, false
	}
	key, ok := compileNav(obj.nav.leaf, []*ast.Term{ast.StringTerm(string(k))})
	if !ok || key.leaf == nil {
		return nil, false
	}
	def, ok := mc.expr(call[3], 1)
	if !ok || def.kind != msgRef && def.kind != msgConst {
		return nil, false
	}
	return &msgExpr{kind: msgObjectGet, nav: obj.nav, lvl: obj.lvl, key: key, def: def}, true
}

// value is the Go value of a msgRef or msgObjectGet; ok is false when it
// is undefined.
func (e *msgExpr) value(env *msgEnv) (reflect.Value, bool) {
	root := env.root(e.lvl)
	if e.kind == msgRef {
		return e.nav.get(root)
	}
	// object.get: its arguments first (undefined: the call is), the
	// object must be one (null is a type error: undefined), then the key's
	// value when present, else the default.
	var def reflect.Value
	if e.def.kind == msgConst {
		def = reflect.ValueOf(e.def.s)
	} else {
		var ok bool
		if def, ok = e.def.value(env); !ok {
			return def, false
		}
	}
	obj, ok := e.nav.get(root)
	if !ok {
		return obj, false
	}
	obj, ok = deref(obj)
	if !ok || obj.Kind() == reflect.Map && obj.IsNil() {
		return obj, false
	}
	if v, ok := e.key.get(obj); ok {
		return v, true
	}
	return def, true
}

// isValue reports whether e is a reference (or object.get of them),
// whose type is its leaf's.
func (e *msgExpr) isValue() bool { return e.kind == msgRef || e.kind == msgObjectGet }

// leafKind is the static kind of a value expression.
func (e *msgExpr) leafKind() reflect.Kind {
	if e.kind == msgObjectGet {
		dk := reflect.String // a constant default
		if e.def.kind == msgRef {
			dk = e.def.nav.leaf.Kind()
		}
		if e.key.leaf.Kind() != dk {
			return reflect.Invalid
		}
		return e.key.leaf.Kind()
	}
	return e.nav.leaf.Kind()
}

// text compiles t as a string-valued expression (for concat, and the
// message itself): a reference must be to a string field.
func (mc *msgCompiler) text(t *ast.Term, depth int) (*msgExpr, bool) {
	e, ok := mc.expr(t, depth)
	if !ok || e.kind == msgPorts || e.kind == msgAge || e.kind == msgNum || e.kind == msgIndex || e.kind == msgDefs || e.kind == msgList ||
		e.isValue() && e.leafKind() != reflect.String {
		return nil, false
	}
	return e, true
}

// choice reads f(r), r the resource, f a function of the module of one
// parameter defined once, with an else chain: each link's body conditions
// on the parameter in the direct form (or none: `else := "..."`), its
// value a text of the message's form over the parameter.
func (mc *msgCompiler) choice(x ast.Call, depth int) (*msgExpr, bool) {
	if len(x) != 2 {
		return nil, false
	}
	fn, isRef := x[0].Value.(ast.Ref)
	if !isRef || len(fn) != 1 {
		return nil, false
	}
	f, ok := fn[0].Value.(ast.Var)
	if !ok || !mc.moduleName(f) {
		return nil, false
	}
	// The argument is the resource, an element of a msgList, or a
	// reference below the resource (a sub-object: the parameter is then
	// read as that reference, and the call is undefined when it is:
	// argGuard).
	var sub ast.Ref
	elem, isElem := mc.elem(x[1])
	if arg, ok := mc.resArg(x[1]); !isElem && (!ok || !arg) {
		ref, isRef := x[1].Value.(ast.Ref)
		if !isRef || len(ref) < 2 || !directRef(ref, mc.res) {
			return nil, false
		}
		sub = ref
	}
	defs := mc.helpers.funcs[string(f)]
	if len(defs) != 1 || defs[0].Default || len(defs[0].Head.Args) != 1 {
		return nil, false
	}
	param, ok := defs[0].Head.Args[0].Value.(ast.Var)
	if !ok || param.IsWildcard() {
		return nil, false
	}
	e := &msgExpr{kind: msgChoice}
	if sub != nil {
		nav, ok := compileNav(nil, sub[1:])
		if !ok || nav.leaf == nil {
			return nil, false
		}
		e.nav = nav
	}
	// The links' conditions and texts read the parameter: as the resource,
	// as the element (at its level), or (sub) the resource's variable with
	// the parameter replaced by the reference. Their own some bind levels
	// above the elements bound around the call.
	in := &msgCompiler{res: param, helpers: mc.helpers, imports: mc.imports, vars: map[ast.Var]*msgExpr{}, level: mc.level}
	switch {
	case isElem:
		in.res, in.elems = "", map[ast.Var]elemBind{param: elem}
	case sub != nil:
		in.res = mc.res
	}
	for orig := defs[0]; orig != nil; orig = orig.Else {
		link := orig
		if sub != nil {
			if link = substituteParam(orig, param, sub, mc.res); link == nil {
				return nil, false
			}
		}
		if link.Head.Value == nil {
			return nil, false
		}
		var conds []directCond
		if len(link.Body) != 1 || !link.Body[0].Equal(ast.NewExpr(ast.BooleanTerm(true))) {
			cs, ok := in.conds(link.Body)
			if !ok || len(cs) == 0 {
				return nil, false
			}
			conds = cs
		}
		text, ok := in.inner().text(link.Head.Value, depth+1)
		if !ok {
			return nil, false
		}
		e.choices = append(e.choices, msgLink{conds: conds, text: text})
	}
	return e, true
}

// substituteParam returns a copy of the link of a function definition
// (its body and value; not its else) with its parameter param read as the
// reference sub (r.facts.snapshot: s.shared_with becomes
// r.facts.snapshot.shared_with), or nil when param is used otherwise than
// as a reference's head or the link names res, sub's head.
func substituteParam(link *ast.Rule, param ast.Var, sub ast.Ref, res ast.Var) *ast.Rule {
	c := &ast.Rule{Head: link.Head.Copy(), Body: link.Body.Copy()}
	ok := true
	// The link must not name the message's resource variable itself
	// (sub starts with it).
	ast.WalkVars(c, func(v ast.Var) bool {
		if v == res {
			ok = false
		}
		return false
	})
	tr := func(x any) (any, error) {
		switch v := x.(type) {
		case ast.Ref:
			if head, isVar := v[0].Value.(ast.Var); isVar && head == param {
				return append(sub.Copy(), v[1:]...), nil
			}
		case ast.Var:
			if v == param {
				return sub.Copy(), nil // the parameter itself: the sub-object
			}
		}
		return x, nil
	}
	body, err := ast.Transform(ast.NewGenericTransformer(tr), c.Body)
	if err != nil {
		return nil
	}
	c.Body = body.(ast.Body)
	if c.Head.Value != nil {
		val, err := ast.Transform(ast.NewGenericTransformer(tr), c.Head.Value)
		if err != nil {
			return nil
		}
		switch v := val.(type) {
		case *ast.Term:
			c.Head.Value = v
		case ast.Value:
			c.Head.Value = ast.NewTerm(v)
		default:
			return nil
		}
	}
	if !ok {
		return nil
	}
	return c
}

// resArg reports whether t is the message's resource variable.
func (mc *msgCompiler) resArg(t *ast.Term) (bool, bool) {
	switch a := t.Value.(type) {
	case ast.Var:
		return a == mc.res, true
	case ast.Ref:
		return len(a) == 1 && a[0].Equal(ast.VarTerm(string(mc.res))), true
	}
	return false, false
}

// exposedPorts reads <import>.exposed_ports(<ref>, <constant set of
// ports>), lib/net's function (its text the one msgPorts follows), as the
// conditions exposes_port(<ref>, port) per port, in the direct form on the
// Go fields.
func (mc *msgCompiler) exposedPorts(t *ast.Term) (*msgExpr, bool) {
	call, ok := t.Value.(ast.Call)
	if !ok || len(call) != 3 {
		return nil, false
	}
	lm, alias := mc.libCall(call[0], "exposed_ports")
	if lm == nil || lm.Package.Path.String() != "data.vigil.lib.net" || libFingerprint(lm, []string{"exposed_ports"}) != exposedPortsFingerprint {
		return nil, false
	}
	fw, ok := mc.expr(call[1], 1)
	if !ok || fw.kind != msgRef || fw.lvl != 0 {
		return nil, false
	}
	ports, ok := mc.portSet(call[2])
	if !ok {
		return nil, false
	}
	slices.Sort(ports)
	ports = slices.Compact(ports)
	e := &msgExpr{kind: msgPorts, nav: fw.nav, ports: ports}
	for _, port := range ports {
		x := ast.NewExpr([]*ast.Term{ast.RefTerm(ast.VarTerm(string(alias)), ast.StringTerm("exposes_port")), call[1], ast.IntNumberTerm(int(port))})
		sc := &scope{res: mc.res, vars: map[ast.Var]uint8{}, helpers: mc.helpers}
		conds, ok := sc.conds([]*ast.Expr{x}, 0)
		if !ok || len(conds) == 0 {
			return nil, false
		}
		setGoPaths(conds)
		var types [maxLevels + 1]reflect.Type
		if !compileGoConds(conds, &types) {
			return nil, false
		}
		e.portConds = append(e.portConds, conds)
	}
	return e, true
}

// exposed is a msgPorts's ports on r; ok is false when its firewall
// argument is undefined (the call is).
func (e *msgExpr) exposed(r *resource.Resource, now goNow) ([]int64, bool) {
	if _, ok := e.nav.get(reflect.ValueOf(r).Elem()); !ok {
		return nil, false
	}
	var out []int64
	for k, conds := range e.portConds {
		if allHoldOnGo(conds, r, &goEnv{now: now}) {
			out = append(out, e.ports[k])
		}
	}
	return out, true
}

// portList reads [sprintf("%d", [p]) | some p in sort(<ports>)], <ports>
// an exposed_ports call or a variable assigned one.
func (mc *msgCompiler) portList(t *ast.Term) (*msgExpr, bool) {
	ac, ok := t.Value.(*ast.ArrayComprehension)
	if !ok || len(ac.Body) != 1 {
		return nil, false
	}
	sp, ok := ac.Term.Value.(ast.Call)
	if !ok || len(sp) != 3 || sp[0].String() != ast.Sprintf.Ref().String() || !sp[1].Equal(ast.StringTerm("%d")) {
		return nil, false
	}
	arr, ok := sp[2].Value.(*ast.Array)
	if !ok || arr.Len() != 1 {
		return nil, false
	}
	p, ok := arr.Elem(0).Value.(ast.Var)
	if !ok || p.IsWildcard() || p == mc.res {
		return nil, false
	}
	if _, shadows := mc.vars[p]; shadows {
		return nil, false
	}
	x := ac.Body[0]
	sd, ok := x.Terms.(*ast.SomeDecl)
	if !ok || x.Negated || len(x.With) > 0 || len(sd.Symbols) != 1 {
		return nil, false
	}
	in, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(in) != 3 || in[0].String() != ast.Member.Ref().String() || !in[1].Equal(ast.VarTerm(string(p))) {
		return nil, false
	}
	sorted, ok := in[2].Value.(ast.Call)
	if !ok || len(sorted) != 2 || sorted[0].String() != ast.Sort.Ref().String() {
		return nil, false
	}
	var ports *msgExpr
	if v, ok := sorted[1].Value.(ast.Var); ok {
		ports = mc.vars[v]
	} else if r, ok := sorted[1].Value.(ast.Ref); ok && len(r) == 1 {
		if v, ok := r[0].Value.(ast.Var); ok {
			ports = mc.vars[v]
		}
	}
	if ports == nil {
		ports, ok = mc.exposedPorts(sorted[1])
		if !ok {
			return nil, false
		}
	}
	if ports.kind != msgPorts {
		return nil, false
	}
	return &msgExpr{kind: msgPortJoin, portsOf: ports}, true
}

// expr compiles a term of a message: a string constant, a reference to the
// resource's fields, sprintf, concat or a native helper.
func (mc *msgCompiler) expr(t *ast.Term, depth int) (*msgExpr, bool) {
	if depth > 8 {
		return nil, false
	}
	switch x := t.Value.(type) {
	case ast.String:
		return &msgExpr{kind: msgConst, s: string(x)}, true
	case ast.Var:
		if e, ok := mc.vars[x]; ok {
			if e.kind == msgPorts {
				return nil, false // a set: only as exposure_note's ports or in a port list
			}
			return e, true
		}
		if s, ok := mc.helpers.strs[string(x)]; ok && x != mc.res {
			return &msgExpr{kind: msgConst, s: string(s)}, true
		}
		if b, ok := mc.elem(ast.NewTerm(x)); ok {
			nav, ok := compileNav(b.t, nil)
			if !ok || nav.leaf == nil {
				return nil, false
			}
			return &msgExpr{kind: msgRef, nav: nav, lvl: b.level}, true
		}
		if n, ok := mc.helpers.nums[string(x)]; ok && x != mc.res {
			if i, ok := n.Int64(); ok && ast.Number(strconv.FormatInt(i, 10)) == n {
				return &msgExpr{kind: msgNum, n: i}, true
			}
		}
		return nil, false
	case *ast.ArrayComprehension:
		return mc.list(x, depth)
	case ast.Ref:
		if len(x) == 1 {
			return mc.expr(x[0], depth)
		}
		if e, ok := mc.index(x); ok {
			return e, true
		}
		if b, ok := mc.elem(x[0]); ok {
			// <element>.<key>...
			if !directRefFrom(x, x[0].Value.(ast.Var)) {
				return nil, false
			}
			nav, ok := compileNav(b.t, x[1:])
			if !ok || nav.leaf == nil {
				return nil, false
			}
			return &msgExpr{kind: msgRef, nav: nav, lvl: b.level}, true
		}
		if !directRef(x, mc.res) {
			return nil, false
		}
		nav, ok := compileNav(nil, x[1:])
		if !ok || nav.leaf == nil {
			return nil, false
		}
		return &msgExpr{kind: msgRef, nav: nav}, true
	case ast.Call:
		return mc.call(x, depth)
	}
	return nil, false
}

// substring reads substring(<text>, <offset>, <length>), the offset and
// length integer literals, the offset not negative (OPA's error).
func (mc *msgCompiler) substring(x ast.Call, depth int) (*msgExpr, bool) {
	base, ok := mc.text(x[1], depth+1)
	if !ok {
		return nil, false
	}
	var n [2]int64
	for k, t := range x[2:4] {
		num, isNum := t.Value.(ast.Number)
		if !isNum {
			return nil, false
		}
		i, isInt := num.Int64()
		if !isInt || ast.Number(strconv.FormatInt(i, 10)) != num || i > math.MaxInt32 || i < math.MinInt32 {
			return nil, false
		}
		n[k] = i
	}
	if n[0] < 0 {
		return nil, false
	}
	return &msgExpr{kind: msgSubstring, def: base, n: n[0], length: n[1]}, true
}

// opaSubstring is OPA's substring(s, start, length), start >= 0: in runes,
// the rest of s for a negative length, s itself when the cut is the whole
// of it (invalid UTF-8 kept).
func opaSubstring(s string, start, length int) string {
	if start == 0 && length >= utf8.RuneCountInString(s) {
		return s
	}
	runes := []rune(s)
	if start >= len(runes) {
		return ""
	}
	if length < 0 {
		return string(runes[start:])
	}
	return string(runes[start : start+min(length, len(runes)-start)])
}

// sortedSet reads sort(f(r)), r the resource, f a function of the module
// of one parameter defined once, without a body, whose value is a set
// comprehension whose body is in the direct form on the parameter
// (msgSetJoin, but for the separator).
func (mc *msgCompiler) sortedSet(t *ast.Term) (*msgExpr, bool) {
	outer, ok := t.Value.(ast.Call)
	if !ok || len(outer) != 2 || outer[0].String() != ast.Sort.Ref().String() {
		return nil, false
	}
	call, ok := outer[1].Value.(ast.Call)
	if !ok || len(call) != 2 {
		return nil, false
	}
	fn, isRef := call[0].Value.(ast.Ref)
	if !isRef || len(fn) != 1 {
		return nil, false
	}
	f, ok := fn[0].Value.(ast.Var)
	if !ok || !mc.moduleName(f) {
		return nil, false
	}
	if arg, ok := mc.resArg(call[1]); !ok || !arg {
		return nil, false
	}
	defs := mc.helpers.funcs[string(f)]
	if len(defs) != 1 || defs[0].Default || defs[0].Else != nil || len(defs[0].Head.Args) != 1 || defs[0].Head.Value == nil ||
		len(defs[0].Body) != 1 || !defs[0].Body[0].Equal(ast.NewExpr(ast.BooleanTerm(true))) {
		return nil, false
	}
	param, ok := defs[0].Head.Args[0].Value.(ast.Var)
	if !ok || param.IsWildcard() {
		return nil, false
	}
	comp, ok := defs[0].Head.Value.Value.(*ast.SetComprehension)
	if !ok {
		return nil, false
	}
	exprs := append(slices.Clone(comp.Body), ast.NewExpr([]*ast.Term{ast.RefTerm(ast.VarTerm(emitOp)), comp.Term}))
	sc := &scope{res: param, vars: map[ast.Var]uint8{}, helpers: mc.helpers}
	conds, ok := sc.conds(exprs, 0)
	if !ok {
		return nil, false
	}
	setGoPaths(conds)
	var types [maxLevels + 1]reflect.Type
	if !compileGoConds(conds, &types) {
		return nil, false
	}
	return &msgExpr{kind: msgSetJoin, body: conds}, true
}

// moduleName reports whether v names something of the module (a helper,
// a table, an import): neither the resource's variable nor a local one.
func (mc *msgCompiler) moduleName(v ast.Var) bool {
	_, local := mc.vars[v]
	return v != mc.res && !local
}

// index reads <constant object of integers of the module>[<ref to a
// string field of the resource>] (msgIndex).
func (mc *msgCompiler) index(x ast.Ref) (*msgExpr, bool) {
	if len(x) != 2 {
		return nil, false
	}
	name, ok := x[0].Value.(ast.Var)
	if !ok || !mc.moduleName(name) {
		return nil, false
	}
	tab := mc.helpers.numTables[string(name)]
	key, isRef := x[1].Value.(ast.Ref)
	if tab == nil || !isRef || !directRef(key, mc.res) {
		return nil, false
	}
	nav, ok := compileNav(nil, key[1:])
	if !ok || nav.leaf == nil || nav.leaf.Kind() != reflect.String {
		return nil, false
	}
	return &msgExpr{kind: msgIndex, nav: nav, table: tab}, true
}

func (mc *msgCompiler) call(x ast.Call, depth int) (*msgExpr, bool) {
	op := x[0].String()
	switch {
	case (op == ast.Sprintf.Ref().String() || op == ast.Concat.Ref().String()) && len(x) == 3:
		first, ok := mc.expr(x[1], depth+1)
		if !ok || first.kind != msgConst {
			return nil, false
		}
		if op == ast.Concat.Ref().String() {
			if list, ok := mc.portList(x[2]); ok {
				list.s = first.s
				return list, true
			}
			if list, ok := mc.sortedSet(x[2]); ok {
				list.s = first.s
				return list, true
			}
			if list, ok := mc.expr(x[2], depth+1); ok && list.kind == msgRef && isStringSlice(list.nav.leaf) {
				return &msgExpr{kind: msgJoin, s: first.s, nav: list.nav, lvl: list.lvl}, true
			} else if ok && list.kind == msgList {
				return &msgExpr{kind: msgListJoin, s: first.s, def: list}, true
			}
		}
		arr, ok := x[2].Value.(*ast.Array)
		if !ok {
			return nil, false
		}
		e := &msgExpr{kind: msgSprintf, s: first.s}
		if op == ast.Concat.Ref().String() {
			e.kind = msgConcat
		}
		for i := range arr.Len() {
			var a *msgExpr
			if e.kind == msgConcat {
				a, ok = mc.text(arr.Elem(i), depth+1)
			} else {
				a, ok = mc.expr(arr.Elem(i), depth+1)
			}
			if !ok || a.kind == msgList || a.kind == msgPorts {
				return nil, false
			}
			e.args = append(e.args, a)
		}
		return e, true
	}
	if op == ast.Substring.Ref().String() && len(x) == 4 {
		return mc.substring(x, depth)
	}
	if e, ok := mc.choice(x, depth); ok {
		return e, true
	}
	if e, ok := mc.objectGet(ast.NewTerm(x)); ok {
		return e, true
	}
	if e, ok := mc.ageDays(x, depth); ok {
		return e, true
	}
	// <import>.<helper>(r, <constant set of ports>)
	ref, ok := x[0].Value.(ast.Ref)
	if !ok || len(ref) != 2 || len(x) != 3 {
		return nil, false
	}
	alias, ok1 := ref[0].Value.(ast.Var)
	name, ok2 := ref[1].Value.(ast.String)
	if !ok1 || !ok2 || alias == mc.res {
		return nil, false
	}
	lm := mc.imports[string(alias)]
	if lm == nil {
		return nil, false
	}
	nl, ok := nativeLibs[lm.Package.Path.String()]
	if !ok || nl.helpers[string(name)] == nil || libFingerprint(lm, nl.rules) != nl.fingerprint {
		return nil, false
	}
	if arg, ok := x[1].Value.(ast.Var); !ok || arg != mc.res {
		if r, isRef := x[1].Value.(ast.Ref); !isRef || len(r) != 1 || !r[0].Equal(ast.VarTerm(string(mc.res))) {
			return nil, false
		}
	}
	e := &msgExpr{kind: msgNative, native: nl.helpers[string(name)]}
	if ports, ok := mc.portSet(x[2]); ok {
		e.ports = ports
		return e, true
	}
	// a variable assigned exposed_ports
	var v ast.Var
	switch p := x[2].Value.(type) {
	case ast.Var:
		v = p
	case ast.Ref:
		if len(p) == 1 {
			v, _ = p[0].Value.(ast.Var)
		}
	}
	if ports := mc.vars[v]; ports != nil && ports.kind == msgPorts {
		e.portsOf = ports
		return e, true
	}
	return nil, false
}

// libCall returns the imported module a call's operator <alias>.<name>
// names and its alias; nil unless the alias is an import the message does
// not shadow.
func (mc *msgCompiler) libCall(op *ast.Term, name string) (*ast.Module, ast.Var) {
	ref, ok := op.Value.(ast.Ref)
	if !ok || len(ref) != 2 || !ref[1].Equal(ast.StringTerm(name)) {
		return nil, ""
	}
	alias, ok := ref[0].Value.(ast.Var)
	if !ok || !mc.moduleName(alias) {
		return nil, ""
	}
	return mc.imports[string(alias)], alias
}

// ageDays reads <import>.age_days(<ref>), lib/time's function (its text
// the one gotime.go follows).
func (mc *msgCompiler) ageDays(x ast.Call, depth int) (*msgExpr, bool) {
	if len(x) != 2 {
		return nil, false
	}
	lm, _ := mc.libCall(x[0], "age_days")
	if lm == nil || libFingerprint(lm, timeLibRules) != timeLibFingerprint {
		return nil, false
	}
	ts, ok := mc.expr(x[1], depth+1)
	if !ok || ts.kind != msgRef {
		return nil, false
	}
	return &msgExpr{kind: msgAge, nav: ts.nav, lvl: ts.lvl}, true
}

// portSet reads a constant set of integers: a literal, set(), or a set
// constant of the module.
func (mc *msgCompiler) portSet(t *ast.Term) ([]int64, bool) {
	var vals []ast.Value
	switch x := t.Value.(type) {
	case ast.Set:
		x.Foreach(func(e *ast.Term) { vals = append(vals, e.Value) })
	case ast.Call:
		if len(x) != 1 || x[0].String() != "set" {
			return nil, false
		}
	case ast.Var, ast.Ref:
		sc := &scope{res: mc.res, vars: map[ast.Var]uint8{}, helpers: mc.helpers}
		set, ok := sc.valueSet(t)
		if !ok {
			return nil, false
		}
		vals = set
	default:
		return nil, false
	}
	ports := make([]int64, 0, len(vals))
	for _, v := range vals {
		n, ok := v.(ast.Number)
		if !ok {
			return nil, false
		}
		i, ok := n.Int64()
		if !ok || ast.Number(strconv.FormatInt(i, 10)) != n {
			return nil, false
		}
		ports = append(ports, i)
	}
	return ports, true
}

// eval computes the message of resource r; ok is false when it is
// undefined.
func (e *msgExpr) eval(r *resource.Resource, now goNow) (string, bool) {
	env := msgEnv{r: r}
	env.g.now = now
	return e.evalIn(&env)
}

// evalIn computes the text e in env; ok is false when it is undefined.
func (e *msgExpr) evalIn(env *msgEnv) (string, bool) {
	r, now := env.r, env.g.now
	switch e.kind {
	case msgConst:
		return e.s, true
	case msgRef, msgObjectGet:
		v, ok := e.value(env)
		if !ok {
			return "", false
		}
		return goString(v)
	case msgNative:
		if e.portsOf != nil {
			ports, ok := e.portsOf.exposed(r, now)
			if !ok {
				return "", false
			}
			return e.native(r, ports)
		}
		return e.native(r, e.ports)
	case msgPortJoin:
		// In a comprehension's body an undefined call leaves the list
		// empty (an assigned one is guarded by msgGuard).
		ports, _ := e.portsOf.exposed(r, now)
		parts := make([]string, len(ports))
		for i, p := range ports {
			parts[i] = strconv.FormatInt(p, 10)
		}
		return strings.Join(parts, e.s), true
	case msgSubstring:
		t, ok := e.def.evalIn(env)
		if !ok {
			return "", false
		}
		return opaSubstring(t, int(e.n), int(e.length)), true
	case msgPorts, msgAge, msgNum, msgIndex, msgList:
		return "", false // a set, a number or a list, not a text (never a message's part)
	case msgDefs:
		s, ok, _ := e.evalTop(r, now)
		return s, ok
	case msgSetJoin:
		// The set's elements, sorted as OPA sorts strings; concat of
		// anything else (null, a number) is a type error: undefined.
		genv := goEnv{out: map[setKey]struct{}{}, now: now}
		allHoldOnGo(e.body, r, &genv)
		parts := make([]string, 0, len(genv.out))
		for k := range genv.out {
			if k.n != 1 || k.a.kind != 3 {
				return "", false
			}
			parts = append(parts, k.a.s)
		}
		slices.Sort(parts)
		return strings.Join(parts, e.s), true
	case msgJoin:
		// concat of an array of strings; null (a nil list that is not
		// omitted) is concat's type error: undefined.
		v, ok := e.nav.get(env.root(e.lvl))
		if !ok {
			return "", false
		}
		if v, ok = deref(v); !ok || v.IsNil() && v.Kind() == reflect.Slice {
			return "", false
		}
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = v.Index(i).String()
		}
		return strings.Join(parts, e.s), true
	case msgListJoin:
		// concat of a comprehension's texts (always defined: an array).
		return strings.Join(e.def.items(env), e.s), true
	case msgChoice:
		if e.nav != nil {
			// f(<ref below the resource>): undefined when the argument is.
			if _, ok := e.nav.get(env.root(0)); !ok {
				return "", false
			}
		}
		for _, l := range e.choices {
			if len(l.conds) > 0 && !allHoldOnGo(l.conds, r, &env.g) {
				continue
			}
			if s, ok := l.text.evalIn(env); ok {
				return s, true
			}
		}
		return "", false
	case msgGuard:
		for _, a := range e.args {
			if !a.defined(env) {
				return "", false
			}
		}
		return e.def.evalIn(env)
	case msgConcat:
		parts := make([]string, len(e.args))
		for i, a := range e.args {
			s, ok := a.evalIn(env)
			if !ok {
				return "", false
			}
			parts[i] = s
		}
		return strings.Join(parts, e.s), true
	}
	// sprintf: the arguments as OPA's sprintf passes them to fmt.
	args := make([]any, len(e.args))
	for i, a := range e.args {
		switch a.kind {
		case msgNum, msgIndex, msgAge:
			n, ok := a.number(env)
			if !ok {
				return "", false
			}
			args[i] = n
			continue
		}
		if !a.isValue() {
			s, ok := a.evalIn(env)
			if !ok {
				return "", false
			}
			args[i] = s
			continue
		}
		v, ok := a.value(env)
		if !ok {
			return "", false
		}
		arg, ok := sprintfArg(v)
		if !ok {
			return "", false
		}
		args[i] = arg
	}
	return fmt.Sprintf(e.s, args...), true
}

// number is the value of a msgNum, msgIndex or msgAge; ok is false when
// it is undefined.
func (e *msgExpr) number(env *msgEnv) (int64, bool) {
	switch e.kind {
	case msgNum:
		return e.n, true
	case msgIndex:
		v, ok := e.nav.get(env.root(0))
		if !ok {
			return 0, false
		}
		k, ok := goString(v)
		if !ok {
			return 0, false
		}
		n, ok := e.table[k]
		return n, ok
	case msgAge:
		v, ok := e.nav.get(env.root(e.lvl))
		if !ok {
			return 0, false
		}
		ts, ok := goString(v)
		if !ok {
			return 0, false
		}
		return ageDays(env.g.now, ts)
	}
	return 0, false
}

// defined reports whether the value assigned (e) is defined in env.
func (e *msgExpr) defined(env *msgEnv) bool {
	var ok bool
	switch {
	case e.kind == msgPorts:
		_, ok = e.exposed(env.r, env.g.now)
	case e.kind == msgList:
		ok = true // a comprehension is always defined
	case e.kind == msgNum || e.kind == msgIndex || e.kind == msgAge:
		_, ok = e.number(env)
	case e.isValue():
		_, ok = e.value(env)
	default:
		_, ok = e.evalIn(env)
	}
	return ok
}

// items are a msgList's texts in env: of each link (unrolled) or element
// (each) whose conditions hold and whose text is defined, in order.
func (e *msgExpr) items(env *msgEnv) []string {
	var out []string
	if !e.each {
		for _, l := range e.choices {
			if len(l.conds) > 0 && !allHoldOnGo(l.conds, env.r, &env.g) {
				continue
			}
			if s, ok := l.text.evalIn(env); ok {
				out = append(out, s)
			}
		}
		return out
	}
	// some l in <list>: an undefined or null list has no elements.
	v, ok := e.nav.get(env.root(e.lvl))
	if !ok {
		return nil
	}
	if v, ok = deref(v); !ok || v.Kind() != reflect.Slice {
		return nil
	}
	l := &e.choices[0]
	for i := range v.Len() {
		el := v.Index(i)
		env.el[e.level] = el
		env.g.v[e.level] = gval{p: el.Addr().UnsafePointer()}
		if len(l.conds) > 0 && !allHoldOnGo(l.conds, env.r, &env.g) {
			continue
		}
		if s, ok := l.text.evalIn(env); ok {
			out = append(out, s)
		}
	}
	return out
}

// evalTop computes the message of resource r as eval does, and for a
// message of several definitions (msgDefs) reports definitions that hold
// with different texts as OPA does: an error (a partial object's key with
// two values).
func (e *msgExpr) evalTop(r *resource.Resource, now goNow) (string, bool, error) {
	if e.kind != msgDefs {
		s, ok := e.eval(r, now)
		return s, ok, nil
	}
	var out string
	found := false
	for _, l := range e.choices {
		if len(l.conds) > 0 && !allHoldOnGo(l.conds, r, &goEnv{now: now}) {
			continue
		}
		s, ok := l.text.eval(r, now)
		if !ok {
			continue
		}
		if found && s != out {
			return "", false, fmt.Errorf("message of %s: object keys must be unique (%q and %q)", r.ID, out, s)
		}
		out, found = s, true
	}
	return out, found, nil
}

// sprintfArg is the value OPA's sprintf passes to fmt for v's term: an
// integer as an int64, a string as itself, anything else as its Rego text.
func sprintfArg(v reflect.Value) (any, bool) {
	sv := goScalar(v)
	switch sv.kind {
	case 2:
		return sv.i, true
	case 3:
		return sv.s, true
	}
	t, err := toTerm(v)
	if err != nil {
		return nil, false
	}
	return t.Value.String(), true
}

// exposureNote is lib/net's exposure_note(r, ports) on the Go fields.
func exposureNote(r *resource.Resource, ports []int64) (string, bool) {
	e := r.Facts.Exposure
	if e != nil {
		if reached := reachedPorts(e, ports); len(reached) > 0 {
			reaches := "it"
			if len(e.Exposes) > 0 {
				reaches = strings.Join(e.Exposes, ", ")
			}
			return "; effectively exposed: the internet reaches " + reaches + " on " + strings.Join(reached, ", "), true
		}
		if e.Internet != nil && !*e.Internet {
			subject := "it"
			if r.Facts.Firewall != nil {
				subject = "a resource it filters"
			}
			return "; not effectively exposed: no path from the internet reaches " + subject +
				" (unattached, no route to an internet gateway, or denied by a network ACL, NSG or firewall rule)", true
		}
		if e.Internet != nil && *e.Internet {
			return "; not effectively exposed on these ports: the internet reaches it on other ports only", true
		}
		if len(e.Undecided) > 0 {
			return "; effective exposure undecided: " + strings.Join(e.Undecided, "; "), true
		}
	}
	return "", true
}

// reachedPorts is lib/net's reached_ports(e, ports), sorted.
func reachedPorts(e *resource.Exposure, ports []int64) []string {
	var out []string
	for i := range e.Paths {
		p := &e.Paths[i]
		if !pathHits(p, ports) {
			continue
		}
		text := strconv.Itoa(p.FromPort)
		if p.FromPort != p.ToPort {
			text += "-" + strconv.Itoa(p.ToPort)
		}
		out = append(out, p.Protocol+"/"+text)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// pathHits is lib/net's path_hits(p, ports).
func pathHits(p *resource.ExposurePath, ports []int64) bool {
	if len(ports) == 0 {
		return true
	}
	if p.Protocol != "tcp" {
		return false
	}
	for _, port := range ports {
		if int64(p.FromPort) <= port && port <= int64(p.ToPort) {
			return true
		}
	}
	return false
}

// firstPath is lib/net's first_path(r, ports) on the Go fields.
func firstPath(r *resource.Resource, ports []int64) (string, bool) {
	e := r.Facts.Exposure
	if e == nil || len(ports) == 0 {
		return "", true
	}
	for i := range e.Paths {
		p := &e.Paths[i]
		if !pathHits(p, ports) {
			continue
		}
		hops := make([]string, len(p.Hops))
		for k, h := range p.Hops {
			hops[k] = h.Allows
		}
		return "; path: " + strings.Join(hops, " -> "), true
	}
	return "", true
}

// isStringSlice reports whether t is a slice of strings (a list concat
// joins as it is).
func isStringSlice(t reflect.Type) bool {
	return t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String
}
