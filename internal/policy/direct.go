package policy

import (
	"cmp"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/resource"
)

// A direct rule is a rule whose fail set the engine computes itself, in Go,
// rather than through OPA: the rule's package is one module whose every
// `fail` definition has the form
//
//	fail contains r.id if {
//		some r in input.resources.<its class>
//		r.<field>.<field>... <op> <constant>    # ==, !=, <, <=, >, >=; or negated with not
//		...
//	}
//
// with a scalar constant (string, number, boolean, null) and fields named by
// string constants, and whose `skip` definitions, if any, have the same
// form. Most rules are of this form
// (a fact compared with a value). The engine reads the same Rego terms OPA
// would (the resource's term in the input) and compares them as OPA's
// comparison built-ins do (ast.Value.Compare; == and != by term equality),
// so the result is the same set; an expression whose reference is undefined
// is false, and under `not` true, as in Rego. Walking a class of 100,000
// resources this way costs a few tens of nanoseconds per resource instead of
// OPA's iteration, reference resolution and set building (about 0.7 µs).
//
// The conditions may also be (each shape compared with OPA by
// TestDirectSomeAndCountMatchOPA and on every built-in rule test input):
//
//	some x in r.<path>            # the conditions after it hold for one x (nested too)
//	x.<field>... <op> <constant>  # on such an element, or x itself
//	count(<ref>) <op> <number>    # not negated
//	"<string>" in <ref>           # an element (or object value) equals it
//	<ref> in <constant set>       # a set literal or a set constant of the module
//	startswith / endswith / contains(<ref>, <string>), lower / upper(<ref>) in those and in sets
//	f(<ref>), not f(<ref>)        # a function of the module, or of an imported one-file
//	                              # library package (net.internet_source), whose every
//	                              # definition has one parameter and a body of such conditions
//
// A `message` of the form `message[id] := "<text>" if some id in fail`
// gives every failing resource that text, without a query. Any other form
// (variables compared with each other, other built-ins, `else`, another
// class) is evaluated by OPA as before.
type direct struct {
	bodies [][]directCond // fail: any body whose conditions all hold
	skips  [][]directCond // skip: likewise
	// message is the constant message of every failing resource, when the
	// rule's message has the constant form (hasMessage).
	message    string
	hasMessage bool
	// onGo: every condition reads a scalar from the Go fields, so the
	// rule needs no Rego terms of its class.
	onGo bool
	// derived are the sets of the module its conditions test membership
	// in (`r.id in parents`), computed once per evaluation, before the
	// rule's own bodies; a set may use the ones before it.
	derived []derivedSet
}

// A derivedSet is a partial set rule of the rule's module,
//
//	parents contains rel.target_id if {
//		some r in input.resources.<class>
//		some rel in r.relationships
//		rel.type == "listener_of"
//	}
//
// every definition of which walks a class with conditions of the direct
// form: its elements are the keys (scalars on the Go fields) of every
// binding of every body, over the resources of the class the rule's input
// holds (the rule's providers, and for its own class its selection).
type derivedSet struct {
	classes []resource.Class // per body, the class it walks
	bodies  [][]directCond   // each ends with the opEmit of its key
}

// derivedReg collects the derived sets a rule's conditions use, as they
// are read.
type derivedReg struct {
	defs map[string][]*ast.Rule // the module's partial set rules of the form, by name
	idx  map[string]int
	busy map[string]bool
	sets []derivedSet
}

// emitOp is the operator of the synthetic last condition of a derived
// set's body (its key).
const emitOp = "__vigil_emit"

type directCond struct {
	path    []*ast.Term // string keys below the resource
	op      cmpOp
	value   ast.Value
	negated bool
	g       *goPath // the value from the Go fields, when it is a scalar there
	k       constant
	set     []constant // opIn
	// root: 0 when the path starts at the resource, k when it starts at
	// the element bound by the enclosing opSome of level k.
	root uint8
	// level: the level of the element an opSome binds.
	level uint8
	// alts: opAny and opNone's alternatives (the definitions of a helper
	// function), each a list of conditions.
	alts [][]directCond
	// cnt: the condition compares count(<ref>) with a number (op is the
	// comparison; never negated).
	cnt bool
	// xf: lower or upper applied to the value before comparing (a
	// string; anything else is a type error: the expression is undefined).
	xf uint8
	// sub: opSome's conditions on each element of the collection at path
	// (and on the resource); the condition holds when one element
	// satisfies them all.
	sub []directCond
	// rhs: the comparison's right operand is this reference (from
	// rhsRoot) rather than a constant: two values of the input compared
	// (d.priority < allow.priority).
	rhs     []*ast.Term
	rhsRoot uint8
	hasRHS  bool
	// nav and rnav: path and rhs compiled for the Go fields (gonav.go).
	nav, rnav *goNav
	// set0: opInSet's derived set (its index in direct.derived).
	set0 int
	// tuple: opInSet's value, or opEmit's key, is the pair [<path>,
	// <rhs>] (hasRHS) rather than the value at path.
	tuple bool
	// nat: opNative's predicate.
	nat *natCall
	// tfn: opTime's function of lib/time (gotime.go); k holds the days
	// of older_than and within.
	tfn uint8
	// cop: opCountIf's comparison of the count with k.
	cop cmpOp
}

type cmpOp uint8

const (
	opEq cmpOp = iota
	opNeq
	opLt
	opLte
	opGt
	opGte
	opIn      // <ref> in {<strings and booleans>}
	opDefined // <ref> alone: defined and not false
	opSome    // some x in <ref>; conditions on x (sub)
	opExists  // <ref> is defined (a helper's argument)
	opAny     // helper(<ref>): <ref> is defined and one of alts holds
	opNone    // not helper(<ref>): <ref> is defined and none of alts holds
	opHas     // <constant> in <ref>
	opStarts  // startswith(<ref>, <string>)
	opEnds    // endswith(<ref>, <string>)
	opContains
	opIsNumber // is_number(<ref>), not negated
	opIsString // is_string(<ref>), not negated
	opIsBoolean
	opInSet // <ref> in <derived set of the module> (Go fields only)
	opEmit  // a derived set's key (Go fields only)
	// opNative: a native predicate (native.go) of the value at path:
	// undefined (false, even negated) when the path is, false for a
	// value that is not a string.
	opNative
	// opTime: a function of lib/time (gotime.go) of the value at path,
	// as opNative (Go fields only: it reads input.now).
	opTime
	// opCountIf: count([x | some x in <path>; <sub>]) <cop> <k>: the
	// elements x of level that meet sub, counted (0 when path is
	// undefined or no collection: a comprehension is always defined);
	// Go fields only.
	opCountIf
	// opIsArray: is_array(<ref>), not negated.
	opIsArray
)

const (
	xfNone uint8 = iota
	xfLower
	xfUpper
	xfTrim      // trim_space(<ref>)
	xfTrimLower // lower(trim_space(<ref>))
	xfTrimUpper // upper(trim_space(<ref>))
)

// applyXf applies a condition's string transformation (xf) to s, as OPA's
// lower, upper and trim_space (strings.TrimSpace) do.
func applyXf(xf uint8, s string) string {
	switch xf {
	case xfTrim, xfTrimLower, xfTrimUpper:
		s = strings.TrimSpace(s)
	}
	switch xf {
	case xfLower, xfTrimLower:
		return strings.ToLower(s)
	case xfUpper, xfTrimUpper:
		return strings.ToUpper(s)
	}
	return s
}

var cmpOps = map[string]cmpOp{
	ast.Equal.Name: opEq, ast.NotEqual.Name: opNeq, ast.LessThan.Name: opLt,
	ast.LessThanEq.Name: opLte, ast.GreaterThan.Name: opGt, ast.GreaterThanEq.Name: opGte,
}

// swapped is the operator with its operands exchanged (3 < x is x > 3).
func (o cmpOp) swapped() cmpOp {
	switch o {
	case opLt:
		return opGt
	case opLte:
		return opGte
	case opGt:
		return opLt
	case opGte:
		return opLte
	}
	return o
}

// fails reports whether the resource whose input term is t is in the
// rule's fail set.
func (d *direct) fails(t *ast.Term) bool { return anyBody(d.bodies, t) }

// failsGo and skippedGo are fails and skipped on the Go fields (onGo).
// A rule with derived sets has them computed first (derivedSets).
func (d *direct) failsGo(r *resource.Resource, now goNow) bool {
	return anyBodyOnGo(d.bodies, r, nil, now)
}

// derivedSets computes d's derived sets over in, as rule's input holds
// its classes: the resources of the rule's providers, and of its own class
// those its selection (custom.applies_to) selects.
func (d *direct) derivedSets(in *Input, rule *Rule) []map[setKey]struct{} {
	if len(d.derived) == 0 {
		return nil
	}
	sets := make([]map[setKey]struct{}, 0, len(d.derived))
	for _, ds := range d.derived {
		out := map[setKey]struct{}{}
		env := goEnv{sets: sets, out: out, now: in.goNow}
		for k, body := range ds.bodies {
			c := ds.classes[k]
			for _, r := range in.byClass[c] {
				if !rule.HasProvider(r.Provider) || c == rule.Class && !rule.sel.match(r) {
					continue
				}
				allHoldOnGo(body, r, &env)
			}
		}
		sets = append(sets, out)
	}
	return sets
}

// skipped reports whether the resource whose input term is t is in the
// rule's skip set.
func (d *direct) skipped(t *ast.Term) bool { return anyBody(d.skips, t) }

func anyBody(bodies [][]directCond, t *ast.Term) bool {
	var env elems
	for _, body := range bodies {
		if allHold(body, t, &env) {
			return true
		}
	}
	return false
}

// maxLevels bounds the nesting of some (and of helper calls).
const maxLevels = 8

// elems holds the elements bound by the enclosing opSome conditions, by
// level (1...).
type elems [maxLevels + 1]*ast.Term

func allHold(conds []directCond, t *ast.Term, env *elems) bool {
	for i := range conds {
		if !conds[i].holds(t, env) {
			return false
		}
	}
	return true
}

// holds evaluates the condition on the resource's term t (and env, the
// elements of the enclosing opSome conditions).
func (c *directCond) holds(t *ast.Term, env *elems) bool {
	v := t.Value
	if c.root > 0 {
		v = env[c.root].Value
	}
	for _, k := range c.path {
		var x *ast.Term
		if obj, ok := v.(ast.Object); ok {
			x = obj.Get(k)
		}
		if x == nil {
			return c.undefined()
		}
		v = x.Value
	}
	switch c.op {
	case opExists:
		return true
	case opNative:
		str, ok := v.(ast.String)
		return (ok && c.nat.fn(string(str))) != c.negated
	case opAny, opNone:
		any := false
		for _, alt := range c.alts {
			if allHold(alt, t, env) {
				any = true
				break
			}
		}
		return any == (c.op == opAny)
	}
	if c.op == opHas {
		var r bool
		switch coll := v.(type) {
		case *ast.Array:
			r = coll.Until(func(x *ast.Term) bool { return ast.ValueEqual(x.Value, c.value) })
		case ast.Set:
			r = coll.Contains(ast.NewTerm(c.value))
		case ast.Object:
			r = coll.Until(func(_, x *ast.Term) bool { return ast.ValueEqual(x.Value, c.value) })
		}
		return r != c.negated
	}
	if c.op == opSome {
		// some x in v: the elements of an array or set, the values of an
		// object; nothing else has any.
		each := func(x *ast.Term) bool {
			env[c.level] = x
			return allHold(c.sub, t, env)
		}
		found := false
		switch coll := v.(type) {
		case *ast.Array:
			for i := 0; i < coll.Len() && !found; i++ {
				found = each(coll.Elem(i))
			}
		case ast.Set:
			found = coll.Until(each)
		case ast.Object:
			found = coll.Until(func(_, x *ast.Term) bool { return each(x) })
		}
		return found
	}
	if c.xf != xfNone {
		str, ok := v.(ast.String)
		if !ok {
			// lower's type error: OPA evaluates the nested call before
			// the not, so the body is undefined either way.
			return false
		}
		v = ast.String(applyXf(c.xf, string(str)))
	}
	switch c.op {
	case opStarts, opEnds, opContains:
		str, ok := v.(ast.String)
		if !ok {
			return c.negated // a type error: undefined, true under not
		}
		k := string(c.value.(ast.String))
		var r bool
		switch c.op {
		case opStarts:
			r = strings.HasPrefix(string(str), k)
		case opEnds:
			r = strings.HasSuffix(string(str), k)
		default:
			r = strings.Contains(string(str), k)
		}
		return r != c.negated
	}
	if c.cnt {
		n, ok := astCount(v)
		if !ok {
			return false // count's type error: the expression is undefined
		}
		v = ast.Number(strconv.Itoa(n))
	}
	if c.op == opIsNumber {
		_, r := v.(ast.Number)
		return r
	}
	if c.op == opIsString {
		_, r := v.(ast.String)
		return r
	}
	if c.op == opIsBoolean {
		_, r := v.(ast.Boolean)
		return r
	}
	if c.op == opIsArray {
		_, r := v.(*ast.Array)
		return r
	}
	if c.hasRHS {
		w := t.Value
		if c.rhsRoot > 0 {
			w = env[c.rhsRoot].Value
		}
		for _, k := range c.rhs {
			var x *ast.Term
			if obj, ok := w.(ast.Object); ok {
				x = obj.Get(k)
			}
			if x == nil {
				return c.undefined()
			}
			w = x.Value
		}
		var r bool
		switch c.op {
		case opNeq:
			r = !ast.ValueEqual(v, w)
		case opLt:
			r = v.Compare(w) < 0
		case opLte:
			r = v.Compare(w) <= 0
		case opGt:
			r = v.Compare(w) > 0
		case opGte:
			r = v.Compare(w) >= 0
		}
		return r != c.negated
	}
	var r bool
	switch c.op {
	case opDefined:
		r = !ast.ValueEqual(v, ast.Boolean(false))
	case opIn:
		for _, k := range c.set {
			if ast.ValueEqual(v, k.v) {
				r = true
				break
			}
		}
	case opEq:
		r = ast.ValueEqual(v, c.value)
	case opNeq:
		r = !ast.ValueEqual(v, c.value)
	case opLt:
		r = v.Compare(c.value) < 0
	case opLte:
		r = v.Compare(c.value) <= 0
	case opGt:
		r = v.Compare(c.value) > 0
	case opGte:
		r = v.Compare(c.value) >= 0
	}
	return r != c.negated
}

// undefined is the condition's outcome when its reference is undefined.
// OPA compiles == into unification, which fails (true under not), and a
// bare reference is false (true under not); the other comparisons and `in`
// are calls, whose reference argument the compiler evaluates first, outside
// the not: the whole body is undefined.
func (c *directCond) undefined() bool {
	return (c.op == opEq || c.op == opDefined) && c.negated
}

// directRule returns the direct form of a rule whose package is the module
// m alone, or nil when the rule is not of that form.
//
// lib returns the module of a library package (data.vigil.lib.net) when
// it is one file, or nil; a rule's calls of its functions are read as
// those of the module's own.
func directRule(m *ast.Module, class string, lib func(pkg string) *ast.Module) *direct {
	d := &direct{}
	var messages []*ast.Rule
	helpers := newModCtx(m, lib, 0)
	helpers.derived = &derivedReg{defs: setRules(m), idx: map[string]int{}, busy: map[string]bool{}}
	for _, r := range m.Rules {
		switch name := ruleName(r); name {
		case "fail":
			body := directBody(r, class, helpers)
			if body == nil {
				return nil
			}
			d.bodies = append(d.bodies, body)
		case "skip":
			body := directBody(r, class, helpers)
			if body == nil {
				return nil
			}
			d.skips = append(d.skips, body)
		case "message":
			messages = append(messages, r)
		}
	}
	if len(d.bodies) == 0 {
		return nil
	}
	if len(messages) == 1 {
		d.message, d.hasMessage = constantMessage(messages[0])
	}
	d.derived = helpers.derived.sets
	d.onGo = goCompileDirect(d)
	if (len(d.derived) > 0 || d.usesTime()) && !d.onGo {
		return nil // derived sets and time functions are computed on the Go fields only
	}
	return d
}

// usesTime reports whether a condition of d (or of its derived sets) is
// a time function (opTime) or a count of a comprehension (opCountIf),
// which only the Go fields evaluate.
func (d *direct) usesTime() bool {
	all := [][][]directCond{d.bodies, d.skips}
	for _, ds := range d.derived {
		all = append(all, ds.bodies)
	}
	for _, bodies := range all {
		for _, b := range bodies {
			if condsUseTime(b) {
				return true
			}
		}
	}
	return false
}

func condsUseTime(conds []directCond) bool {
	for i := range conds {
		c := &conds[i]
		if c.op == opTime || c.op == opCountIf || condsUseTime(c.sub) {
			return true
		}
		for _, alt := range c.alts {
			if condsUseTime(alt) {
				return true
			}
		}
	}
	return false
}

// setRules lists the partial set rules of m (name contains <key> if
// {...}), by name, when every definition of the name is one.
func setRules(m *ast.Module) map[string][]*ast.Rule {
	out := map[string][]*ast.Rule{}
	bad := map[string]bool{}
	for _, r := range m.Rules {
		name := ruleName(r)
		h := r.Head
		if r.Else != nil || r.Default || h.Value != nil || h.Key == nil || len(h.Reference) != 1 || len(h.Args) > 0 || len(r.Body) < 2 {
			bad[name] = true
			continue
		}
		out[name] = append(out[name], r)
	}
	for name := range bad {
		delete(out, name)
	}
	for _, name := range []string{"fail", "skip", "message"} {
		delete(out, name)
	}
	return out
}

// derivedSet returns the index of the derived set t names (reading its
// definitions the first time), or false when t names none or one of its
// definitions is not of the form.
func (sc *scope) derivedSet(t *ast.Term) (int, bool) {
	reg := sc.helpers.derived
	if reg == nil {
		return 0, false
	}
	name, ok := sc.name(t)
	if !ok || name == sc.res {
		return 0, false
	}
	if _, shadowed := sc.vars[name]; shadowed {
		return 0, false
	}
	if _, bound := sc.args[name]; bound {
		return 0, false
	}
	if i, ok := reg.idx[string(name)]; ok {
		return i, true
	}
	defs := reg.defs[string(name)]
	if len(defs) == 0 || reg.busy[string(name)] {
		return 0, false
	}
	reg.busy[string(name)] = true
	defer delete(reg.busy, string(name))
	var ds derivedSet
	for _, r := range defs {
		// some v in input.resources.<class>, then the conditions and the key
		first := r.Body[0]
		sd, ok := first.Terms.(*ast.SomeDecl)
		if !ok || first.Negated || len(first.With) > 0 || len(sd.Symbols) != 1 {
			return 0, false
		}
		call, ok := sd.Symbols[0].Value.(ast.Call)
		if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() {
			return 0, false
		}
		v, ok := call[1].Value.(ast.Var)
		coll, isRef := call[2].Value.(ast.Ref)
		if !ok || v.IsWildcard() || !isRef || len(coll) != 3 || !coll[0].Equal(ast.InputRootDocument) || !coll[1].Equal(ast.StringTerm("resources")) {
			return 0, false
		}
		class, ok := coll[2].Value.(ast.String)
		if !ok {
			return 0, false
		}
		exprs := append(slices.Clone(r.Body[1:]), ast.NewExpr([]*ast.Term{ast.RefTerm(ast.VarTerm(emitOp)), r.Head.Key}))
		inner := &scope{res: v, vars: map[ast.Var]uint8{}, helpers: sc.helpers}
		conds, ok := inner.conds(exprs, 0)
		if !ok {
			return 0, false
		}
		setGoPaths(conds)
		ds.classes = append(ds.classes, resource.Class(class))
		ds.bodies = append(ds.bodies, conds)
	}
	reg.idx[string(name)] = len(reg.sets)
	reg.sets = append(reg.sets, ds)
	return len(reg.sets) - 1, true
}

func ruleName(r *ast.Rule) string {
	if len(r.Head.Reference) > 0 {
		if v, ok := r.Head.Reference[0].Value.(ast.Var); ok {
			return string(v)
		}
	}
	return r.Head.Name.String()
}

// directBody returns the conditions of `fail contains r.id if { some r in
// input.resources.<class>; <conditions> }`, or nil.
func directBody(r *ast.Rule, class string, helpers *modCtx) []directCond {
	h := r.Head
	if r.Else != nil || r.Default || h.Value != nil || len(h.Reference) != 1 || h.Key == nil || len(h.Args) > 0 || len(r.Body) < 2 {
		return nil
	}
	key, ok := h.Key.Value.(ast.Ref)
	if !ok || len(key) != 2 || !key[1].Equal(ast.StringTerm("id")) {
		return nil
	}
	v, ok := key[0].Value.(ast.Var)
	if !ok {
		return nil
	}
	// some r in input.resources.<class>
	first := r.Body[0]
	sd, ok := first.Terms.(*ast.SomeDecl)
	if !ok || first.Negated || len(first.With) > 0 || len(sd.Symbols) != 1 {
		return nil
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() {
		return nil
	}
	if !call[1].Equal(ast.VarTerm(string(v))) || !call[2].Equal(ast.RefTerm(ast.InputRootDocument, ast.StringTerm("resources"), ast.StringTerm(class))) {
		return nil
	}
	sc := &scope{res: v, vars: map[ast.Var]uint8{}, helpers: helpers}
	conds, ok := sc.conds(r.Body[1:], 0)
	if !ok {
		return nil
	}
	setGoPaths(conds)
	return conds
}

// A scope is what a body's conditions may refer to: the resource's
// variable, the elements bound by some (by level) and the module's helper
// functions.
type scope struct {
	res     ast.Var
	vars    map[ast.Var]uint8
	helpers *modCtx
	calls   int // helper calls being read (bounds recursion)
	// args binds a helper's parameters while its body is read.
	args map[ast.Var]argBind
}

// A modCtx is what a module's bodies may call: its functions (by name,
// every definition), its constant sets of strings and booleans, and the
// library modules it imports (by alias).
type modCtx struct {
	funcs   map[string][]*ast.Rule
	sets    map[string][]constant
	strs    map[string]ast.String // constant strings
	imports map[string]*modCtx
	// nums are the module's constant numbers (name := <number>).
	nums map[string]ast.Number
	// numTables are the module's constant objects of integers keyed by
	// strings (name := {"aws": 365, ...}).
	numTables map[string]map[string]int64
	// module is the module read; timeLib caches whether it is lib/time's
	// text the Go time functions follow (0: not known yet, 1: yes, 2: no).
	module  *ast.Module
	timeLib uint8
	// valueSets are the module's constant sets of scalars (numbers
	// too), which `some x in <set>` unrolls.
	valueSets map[string][]ast.Value
	// derived: the rule module's partial set rules its conditions may
	// test membership in (nil: none, as in libraries and prefilters).
	derived *derivedReg
}

// intTable is obj as a Go map when every key is a string and every value
// an integer written as one (1.0 and 1e3 are not), or nil.
func intTable(obj ast.Object) map[string]int64 {
	tab := map[string]int64{}
	ok := true
	obj.Foreach(func(k, v *ast.Term) {
		ks, isStr := k.Value.(ast.String)
		n, isNum := v.Value.(ast.Number)
		if !isStr || !isNum {
			ok = false
			return
		}
		i, isInt := n.Int64()
		if !isInt || ast.Number(strconv.FormatInt(i, 10)) != n {
			ok = false
			return
		}
		tab[string(ks)] = i
	})
	if !ok || len(tab) == 0 {
		return nil
	}
	return tab
}

func newModCtx(m *ast.Module, lib func(string) *ast.Module, depth int) *modCtx {
	mc := &modCtx{funcs: map[string][]*ast.Rule{}, sets: map[string][]constant{}, strs: map[string]ast.String{}, imports: map[string]*modCtx{},
		valueSets: map[string][]ast.Value{}, nums: map[string]ast.Number{}, module: m}
	defined := map[string]int{}
	for _, r := range m.Rules {
		defined[ruleName(r)]++
	}
	// Constants: name := <value>, one definition, no body.
	vals := map[string]*ast.Term{}
	for _, r := range m.Rules {
		name := ruleName(r)
		if len(r.Head.Args) > 0 {
			mc.funcs[name] = append(mc.funcs[name], r)
			continue
		}
		if defined[name] != 1 || r.Else != nil || r.Default || len(r.Head.Reference) != 1 || r.Head.Key != nil || r.Head.Value == nil ||
			len(r.Body) != 1 || !r.Body[0].Equal(ast.NewExpr(ast.BooleanTerm(true))) {
			continue
		}
		vals[name] = r.Head.Value
	}
	for name, v := range vals {
		if str, ok := v.Value.(ast.String); ok {
			mc.strs[name] = str
			continue
		}
		if n, ok := v.Value.(ast.Number); ok {
			mc.nums[name] = n
			continue
		}
		if obj, ok := v.Value.(ast.Object); ok {
			if tab := intTable(obj); tab != nil {
				if mc.numTables == nil {
					mc.numTables = map[string]map[string]int64{}
				}
				mc.numTables[name] = tab
			}
			continue
		}
		// name := {<scalars>}, or a union of such sets (a | b)
		set := constSetOf(v, vals, 0)
		if set == nil || set.Len() == 0 {
			continue
		}
		var vs []ast.Value
		set.Foreach(func(t *ast.Term) { vs = append(vs, t.Value) })
		mc.valueSets[name] = vs
		var ks []constant
		ok := true
		set.Foreach(func(t *ast.Term) {
			switch t.Value.(type) {
			case ast.String, ast.Boolean:
				ks = append(ks, newConstant(t.Value))
			default:
				ok = false
			}
		})
		if ok {
			mc.sets[name] = ks
		}
	}
	if lib == nil || depth > 2 {
		return mc
	}
	for alias, lm := range importedLibs(m, lib) {
		mc.imports[alias] = newModCtx(lm, lib, depth+1)
	}
	return mc
}

// importedLibs returns the one-file library modules m imports (those lib
// returns), by the name m calls them (the import's alias, or the last step
// of its path).
func importedLibs(m *ast.Module, lib func(string) *ast.Module) map[string]*ast.Module {
	out := map[string]*ast.Module{}
	for _, imp := range m.Imports {
		ref, ok := imp.Path.Value.(ast.Ref)
		if !ok || !ref.HasPrefix(ast.DefaultRootRef) || len(ref) < 2 {
			continue
		}
		lm := lib(ref.String())
		if lm == nil {
			continue
		}
		alias := string(imp.Alias)
		if alias == "" {
			s, ok := ref[len(ref)-1].Value.(ast.String)
			if !ok {
				continue
			}
			alias = string(s)
		}
		out[alias] = lm
	}
	return out
}

// constSetOf returns the set of scalars t is: a set literal, the name of a
// constant of the module (vals) that is one, or the union (a | b) of such
// sets; nil otherwise.
func constSetOf(t *ast.Term, vals map[string]*ast.Term, depth int) ast.Set {
	if depth > 8 {
		return nil
	}
	switch x := t.Value.(type) {
	case ast.Set:
		ok := true
		x.Foreach(func(e *ast.Term) {
			switch e.Value.(type) {
			case ast.String, ast.Boolean, ast.Number, ast.Null:
			default:
				ok = false
			}
		})
		if ok {
			return x
		}
	case ast.Var:
		if v, ok := vals[string(x)]; ok {
			return constSetOf(v, vals, depth+1)
		}
	case ast.Ref:
		if v, ok := x[0].Value.(ast.Var); ok && len(x) == 1 {
			return constSetOf(ast.VarTerm(string(v)), vals, depth+1)
		}
	case ast.Call:
		if len(x) == 3 && x[0].String() == ast.Or.Ref().String() {
			a, b := constSetOf(x[1], vals, depth+1), constSetOf(x[2], vals, depth+1)
			if a != nil && b != nil {
				return a.Union(b)
			}
		}
	}
	return nil
}

// conds reads a list of conditions at some-level depth: every condition
// after `some x in ...` is checked per x (those not on x are the same for
// every x), so it becomes that some's sub.
func (sc *scope) conds(exprs []*ast.Expr, depth uint8) ([]directCond, bool) {
	var out []directCond
	for i, e := range exprs {
		if x, set, ok := sc.someInSet(e); ok {
			// some x in <constant set>: the conditions after it hold for
			// one of its elements.
			if _, taken := sc.vars[x]; taken || x == sc.res {
				return nil, false
			}
			if _, taken := sc.args[x]; taken {
				return nil, false
			}
			c := directCond{op: opAny}
			for _, v := range set {
				args := maps.Clone(sc.args)
				if args == nil {
					args = map[ast.Var]argBind{}
				}
				args[x] = argBind{konst: v}
				inner := *sc
				inner.args = args
				sub, ok := inner.conds(exprs[i+1:], depth)
				if !ok || len(sub) == 0 {
					return nil, false
				}
				c.alts = append(c.alts, sub)
			}
			return append(out, c), true
		}
		if x, path, root, ok := sc.someIn(e); ok {
			if _, taken := sc.args[x]; taken {
				return nil, false
			}
			if _, taken := sc.vars[x]; taken || x == sc.res || depth+1 > maxLevels {
				return nil, false
			}
			sc.vars[x] = depth + 1
			sub, ok := sc.conds(exprs[i+1:], depth+1)
			delete(sc.vars, x)
			if !ok || len(sub) == 0 {
				return nil, false
			}
			return append(out, directCond{path: path, root: root, op: opSome, level: depth + 1, sub: sub}), true
		}
		if c, ok := sc.countIf(e, depth); ok {
			out = append(out, c)
			continue
		}
		cs, ok := sc.helperCall(e, depth)
		if !ok {
			c, ok := sc.condition(e)
			if !ok {
				return nil, false
			}
			cs = []directCond{c}
		}
		out = append(out, cs...)
	}
	return out, true
}

// countIf reads count([x | some x in <ref>; <conditions>]) <op> <number>
// (either way round, possibly under not): the conditions on x (and the
// resource) at the next some-level.
func (sc *scope) countIf(e *ast.Expr, depth uint8) (directCond, bool) {
	if len(e.With) > 0 || !e.IsCall() || len(e.Operands()) != 2 {
		return directCond{}, false
	}
	op, ok := cmpOps[e.Operator().String()]
	if !ok {
		return directCond{}, false
	}
	a, b := e.Operands()[0], e.Operands()[1]
	if _, isCall := b.Value.(ast.Call); isCall {
		a, b = b, a
		op = op.swapped()
	}
	n, ok := sc.constant(b).(ast.Number)
	call, isCall := a.Value.(ast.Call)
	if !ok || !isCall || len(call) != 2 || call[0].String() != ast.Count.Ref().String() {
		return directCond{}, false
	}
	ac, ok := call[1].Value.(*ast.ArrayComprehension)
	if !ok || len(ac.Body) < 2 {
		return directCond{}, false
	}
	x, ok := ac.Term.Value.(ast.Var)
	if !ok || x.IsWildcard() {
		return directCond{}, false
	}
	y, path, root, ok := sc.someIn(ac.Body[0])
	if !ok || y != x || depth+1 > maxLevels {
		return directCond{}, false
	}
	if _, taken := sc.vars[x]; taken || x == sc.res {
		return directCond{}, false
	}
	if _, taken := sc.args[x]; taken {
		return directCond{}, false
	}
	sc.vars[x] = depth + 1
	sub, ok := sc.conds(ac.Body[1:], depth+1)
	delete(sc.vars, x)
	if !ok || len(sub) == 0 {
		return directCond{}, false
	}
	return directCond{path: path, root: root, op: opCountIf, cop: op, level: depth + 1, sub: sub, value: n, k: newConstant(n), negated: e.Negated}, true
}

// someInSet reads `some x in <constant set>` (a set of the module, or a
// parameter bound to one).
func (sc *scope) someInSet(e *ast.Expr) (ast.Var, []ast.Value, bool) {
	sd, ok := e.Terms.(*ast.SomeDecl)
	if !ok || e.Negated || len(e.With) > 0 || len(sd.Symbols) != 1 {
		return "", nil, false
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() {
		return "", nil, false
	}
	x, ok := call[1].Value.(ast.Var)
	if !ok || x.IsWildcard() {
		return "", nil, false
	}
	set, ok := sc.valueSet(call[2])
	return x, set, ok
}

// someIn reads `some x in <ref>`.
func (sc *scope) someIn(e *ast.Expr) (ast.Var, []*ast.Term, uint8, bool) {
	sd, ok := e.Terms.(*ast.SomeDecl)
	if !ok || e.Negated || len(e.With) > 0 || len(sd.Symbols) != 1 {
		return "", nil, 0, false
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() {
		return "", nil, 0, false
	}
	x, ok := call[1].Value.(ast.Var)
	if !ok || x.IsWildcard() {
		return "", nil, 0, false
	}
	path, root, ok := sc.ref(call[2])
	if !ok || len(path) == 0 && root == 0 {
		return "", nil, 0, false
	}
	return x, path, root, true
}

// An argBind is what a helper's parameter stands for while its body is
// read: a reference (path from root, as sc.ref returns it), or a constant
// (a scalar, or a set of scalars that `some x in <param>` unrolls).
type argBind struct {
	path  []*ast.Term
	root  uint8
	konst ast.Value // a scalar constant, or nil
	set   []ast.Value
	isSet bool
}

// helperCall reads `f(<args>)` or `not f(<args>)`, where f is a function of
// the module (or of an imported one-file library) whose every definition
// has variables as parameters, no else, a true (or absent) value and a body
// of conditions on its parameters (and the elements they bind). Each
// argument is a reference to facts (or an element), a scalar constant, or a
// constant set (a parameter bound to one, or a set of the module). The
// references must be defined (the call is undefined otherwise): with one
// definition, not negated, the call is those checks and the definition's
// conditions; else the checks and one opAny or opNone condition.
func (sc *scope) helperCall(e *ast.Expr, depth uint8) ([]directCond, bool) {
	if len(e.With) > 0 || !e.IsCall() || len(e.Operands()) == 0 || sc.calls >= maxLevels {
		return nil, false
	}
	op := e.Operator()
	if len(op) != 1 && len(op) != 2 {
		return nil, false
	}
	name, ok := op[0].Value.(ast.Var)
	if !ok {
		return nil, false
	}
	mod := sc.helpers
	if len(op) == 2 {
		// <import>.<function>
		fn, ok := op[1].Value.(ast.String)
		if mod = sc.helpers.imports[string(name)]; mod == nil || !ok {
			return nil, false
		}
		name = ast.Var(fn)
	} else if _, local := sc.args[name]; local {
		return nil, false
	}
	defs := mod.funcs[string(name)]
	if len(defs) == 0 {
		return nil, false
	}
	if tf := timeFnFor(mod, string(name)); tf != 0 {
		// valid(<ref>), reached(<ref>), older_than / within(<ref>, <number>)
		ops := e.Operands()
		if len(ops) != 1 && len(ops) != 2 || len(ops) == 2 != (tf == tfOlder || tf == tfWithin) {
			return nil, false
		}
		path, root, ok := sc.ref(ops[0])
		if !ok || len(path) == 0 && root == 0 {
			return nil, false
		}
		c := directCond{path: path, root: root, op: opTime, tfn: tf, negated: e.Negated}
		if len(ops) == 2 {
			n, ok := sc.constant(ops[1]).(ast.Number)
			if !ok {
				return nil, false
			}
			c.value, c.k = n, newConstant(n)
		}
		return []directCond{c}, true
	}
	if nat := nativeFor(mod, string(name)); nat != nil && len(e.Operands()) == 1 {
		path, root, ok := sc.ref(e.Operands()[0])
		if !ok || len(path) == 0 && root == 0 {
			return nil, false
		}
		return []directCond{{path: path, root: root, op: opNative, nat: nat, negated: e.Negated}}, true
	}
	operands := e.Operands()
	binds := make([]argBind, len(operands))
	var checks []directCond
	for k, t := range operands {
		if v := sc.constant(t); v != nil {
			binds[k] = argBind{konst: v}
			continue
		}
		if set, ok := sc.valueSet(t); ok {
			binds[k] = argBind{set: set, isSet: true}
			continue
		}
		if x, ok := sc.name(t); ok && sc.res != "" && x == sc.res {
			binds[k] = argBind{} // the resource itself (always defined)
			continue
		}
		path, root, ok := sc.ref(t)
		if ok && len(path) == 0 && root == 0 {
			binds[k] = argBind{} // a parameter bound to the resource itself
			continue
		}
		if !ok {
			return nil, false
		}
		binds[k] = argBind{path: path, root: root}
		if len(path) > 0 { // an element itself is always defined
			checks = append(checks, directCond{path: path, root: root, op: opExists})
		}
	}
	var alts [][]directCond
	for _, h := range defs {
		if h.Else != nil || h.Default || len(h.Head.Args) != len(operands) || len(h.Body) == 0 {
			return nil, false
		}
		if h.Head.Value != nil && !h.Head.Value.Equal(ast.BooleanTerm(true)) {
			return nil, false
		}
		// The body sees the parameters and the helpers, not the rule's
		// variables.
		args := map[ast.Var]argBind{}
		for k, a := range h.Head.Args {
			param, ok := a.Value.(ast.Var)
			if !ok {
				return nil, false
			}
			if param.IsWildcard() {
				continue
			}
			if _, dup := args[param]; dup {
				return nil, false
			}
			args[param] = binds[k]
		}
		inner := &scope{res: "", vars: map[ast.Var]uint8{}, args: args, helpers: mod, calls: sc.calls + 1}
		body, ok := inner.conds(h.Body, depth)
		if !ok {
			return nil, false
		}
		alts = append(alts, body)
	}
	if len(alts) == 1 && !e.Negated {
		return append(checks, alts[0]...), true
	}
	c := directCond{op: opAny, alts: alts}
	if e.Negated {
		c.op = opNone
	}
	return append(checks, c), true
}

// valueSet returns the elements of a constant set of scalars t names: a
// parameter bound to one, or a set of the module (not shadowed).
func (sc *scope) valueSet(t *ast.Term) ([]ast.Value, bool) {
	if mod, name, ok := sc.imported(t); ok {
		set, ok := mod.valueSets[name]
		return set, ok
	}
	name, ok := sc.name(t)
	if !ok {
		return nil, false
	}
	if a, bound := sc.args[name]; bound {
		return a.set, a.isSet
	}
	if _, shadowed := sc.vars[name]; shadowed || name == sc.res {
		return nil, false
	}
	set, ok := sc.helpers.valueSets[string(name)]
	return set, ok
}

// imported reads <import>.<name>, a constant of an imported library (the
// alias not shadowed by a variable).
func (sc *scope) imported(t *ast.Term) (*modCtx, string, bool) {
	ref, ok := t.Value.(ast.Ref)
	if !ok || len(ref) != 2 {
		return nil, "", false
	}
	alias, ok1 := ref[0].Value.(ast.Var)
	name, ok2 := ref[1].Value.(ast.String)
	if !ok1 || !ok2 {
		return nil, "", false
	}
	if _, shadowed := sc.vars[alias]; shadowed || alias == sc.res {
		return nil, "", false
	}
	if _, shadowed := sc.args[alias]; shadowed {
		return nil, "", false
	}
	mod := sc.helpers.imports[string(alias)]
	return mod, string(name), mod != nil
}

// name returns the variable a term is (x, or the one-element ref x).
func (sc *scope) name(t *ast.Term) (ast.Var, bool) {
	switch x := t.Value.(type) {
	case ast.Var:
		return x, true
	case ast.Ref:
		if len(x) != 1 {
			return "", false
		}
		v, ok := x[0].Value.(ast.Var)
		return v, ok
	}
	return "", false
}

// setGoPaths compiles the Go path of every top-level condition on the
// resource that reads a scalar (or, bare, any value) there.
func setGoPaths(conds []directCond) {
	for i := range conds {
		c := &conds[i]
		c.g = nil
		if c.root != 0 || c.cnt || c.xf != xfNone || c.hasRHS {
			continue
		}
		switch c.op {
		case opDefined, opExists:
			c.g = compileGoPresence(c.path)
		case opEq, opNeq, opLt, opLte, opGt, opGte, opIn:
			c.g = compileGoPath(c.path)
		}
	}
}

var strOps = map[string]cmpOp{
	ast.StartsWith.Name: opStarts, ast.EndsWith.Name: opEnds, ast.Contains.Name: opContains,
}

// constant returns t's value when it is a scalar, or a constant string of
// the module it names; nil otherwise.
func (sc *scope) constant(t *ast.Term) ast.Value {
	switch x := t.Value.(type) {
	case ast.String, ast.Boolean, ast.Number, ast.Null:
		return x
	case ast.Call:
		// concat(<string>, [<strings>]) of constants (a parameter or
		// the element of an unrolled some among them) is a constant.
		if len(x) != 3 || x[0].String() != ast.Concat.Ref().String() {
			return nil
		}
		sep, ok := sc.constant(x[1]).(ast.String)
		arr, isArr := x[2].Value.(*ast.Array)
		if !ok || !isArr {
			return nil
		}
		parts := make([]string, 0, arr.Len())
		for i := range arr.Len() {
			p, ok := sc.constant(arr.Elem(i)).(ast.String)
			if !ok {
				return nil
			}
			parts = append(parts, string(p))
		}
		return ast.String(strings.Join(parts, string(sep)))
	}
	var name ast.Var
	switch x := t.Value.(type) {
	case ast.Var:
		name = x
	case ast.Ref:
		v, ok := x[0].Value.(ast.Var)
		if len(x) != 1 || !ok {
			return nil
		}
		name = v
	default:
		return nil
	}
	if a, bound := sc.args[name]; bound {
		return a.konst
	}
	if _, shadowed := sc.vars[name]; shadowed || name == sc.res {
		return nil
	}
	if s, ok := sc.helpers.strs[string(name)]; ok {
		return s
	}
	if n, ok := sc.helpers.nums[string(name)]; ok {
		return n
	}
	return nil
}

// valueRef reads a reference to facts (ref), or lower / upper of one, or
// trim_space of one (under lower / upper too).
func (sc *scope) valueRef(t *ast.Term) (path []*ast.Term, root, xf uint8, ok bool) {
	if call, isCall := t.Value.(ast.Call); isCall {
		if len(call) != 2 {
			return nil, 0, 0, false
		}
		switch call[0].String() {
		case ast.Lower.Ref().String():
			xf = xfLower
		case ast.Upper.Ref().String():
			xf = xfUpper
		case ast.TrimSpace.Ref().String():
			xf = xfTrim
		default:
			return nil, 0, 0, false
		}
		t = call[1]
		if inner, isCall := t.Value.(ast.Call); isCall && xf != xfTrim {
			if len(inner) != 2 || inner[0].String() != ast.TrimSpace.Ref().String() {
				return nil, 0, 0, false
			}
			xf += xfTrimLower - xfLower
			t = inner[1]
		}
	}
	path, root, ok = sc.ref(t)
	return path, root, xf, ok
}

// constSet returns the constants of a module's constant set named by t
// (not shadowed by a variable in scope), or nil.
func (sc *scope) constSet(t *ast.Term) []constant {
	if mod, name, ok := sc.imported(t); ok {
		return mod.sets[name]
	}
	var name ast.Var
	switch x := t.Value.(type) {
	case ast.Var:
		name = x
	case ast.Ref:
		if len(x) != 1 {
			return nil
		}
		v, ok := x[0].Value.(ast.Var)
		if !ok {
			return nil
		}
		name = v
	default:
		return nil
	}
	if _, bound := sc.args[name]; bound {
		return nil
	}
	if _, shadowed := sc.vars[name]; shadowed || name == sc.res {
		return nil
	}
	return sc.helpers.sets[string(name)]
}

// ref reads a term as a reference to facts: <resource>.<string>... (root
// 0), <x>.<string>... or x itself, for an element x (root: its level).
func (sc *scope) ref(t *ast.Term) (path []*ast.Term, root uint8, ok bool) {
	if x, ok := sc.name(t); ok {
		if l, ok := sc.vars[x]; ok {
			return nil, l, true
		}
		if a, ok := sc.args[x]; ok && a.konst == nil && !a.isSet {
			return slices.Clone(a.path), a.root, true
		}
		return nil, 0, false
	}
	switch x := t.Value.(type) {
	case ast.Ref:
		if sc.res != "" && directRef(x, sc.res) {
			return x[1:], 0, true
		}
		if v, isVar := x[0].Value.(ast.Var); isVar {
			if l, ok := sc.vars[v]; ok && directRefFrom(x, v) {
				return x[1:], l, true
			}
			if a, ok := sc.args[v]; ok && a.konst == nil && !a.isSet && directRefFrom(x, v) {
				return append(slices.Clone(a.path), x[1:]...), a.root, true
			}
		}
	}
	return nil, 0, false
}

// condition reads `<ref> <op> <scalar>` (either way round), a bare
// reference, `<ref> in {<constants>}`, `<constant> in <ref>` or
// `count(<ref>) <op> <number>`, possibly under not.
func (sc *scope) condition(e *ast.Expr) (directCond, bool) {
	if len(e.With) > 0 {
		return directCond{}, false
	}
	if e.IsCall() && e.Operator().String() == emitOp && len(e.Operands()) == 1 {
		if pa, ra, pb, rb, ok := sc.pair(e.Operands()[0]); ok {
			return directCond{path: pa, root: ra, op: opEmit, rhs: pb, rhsRoot: rb, hasRHS: true, tuple: true}, true
		}
		path, root, ok := sc.ref(e.Operands()[0])
		if !ok || len(path) == 0 && root == 0 {
			return directCond{}, false
		}
		return directCond{path: path, root: root, op: opEmit}, true
	}
	if t, ok := e.Terms.(*ast.Term); ok {
		// A bare reference: true when defined and not false.
		if _, ok := t.Value.(ast.Ref); !ok {
			return directCond{}, false
		}
		path, root, ok := sc.ref(t)
		if !ok || len(path) == 0 {
			return directCond{}, false
		}
		return directCond{path: path, root: root, op: opDefined, negated: e.Negated}, true
	}
	if e.IsCall() && len(e.Operands()) == 1 && !e.Negated {
		// is_number(<ref>), is_string(<ref>)
		op, ok := map[string]cmpOp{ast.IsNumber.Ref().String(): opIsNumber, ast.IsString.Ref().String(): opIsString,
			ast.IsBoolean.Ref().String(): opIsBoolean, ast.IsArray.Ref().String(): opIsArray}[e.Operator().String()]
		if !ok {
			return directCond{}, false
		}
		path, root, ok := sc.ref(e.Operands()[0])
		if !ok || len(path) == 0 && root == 0 {
			return directCond{}, false
		}
		return directCond{path: path, root: root, op: op}, true
	}
	if !e.IsCall() || len(e.Operands()) != 2 {
		return directCond{}, false
	}
	if op, ok := strOps[e.Operator().String()]; ok {
		// startswith / endswith / contains(<ref or lower/upper of it>, <string>)
		path, root, xf, ok := sc.valueRef(e.Operands()[0])
		k, isStr := sc.constant(e.Operands()[1]).(ast.String)
		if !ok || !isStr || len(path) == 0 && root == 0 {
			return directCond{}, false
		}
		return directCond{path: path, root: root, xf: xf, op: op, value: k, k: newConstant(k), negated: e.Negated}, true
	}
	if e.Operator().String() == ast.Member.Ref().String() {
		switch k := e.Operands()[0].Value.(type) {
		case ast.String, ast.Boolean:
			// <string or boolean> in <ref>: an element of an array or set,
			// or a value of an object, equals it.
			path, root, ok := sc.ref(e.Operands()[1])
			if !ok || len(path) == 0 && root == 0 {
				return directCond{}, false
			}
			return directCond{path: path, root: root, op: opHas, value: k, k: newConstant(k), negated: e.Negated}, true
		}
		// [<ref>, <ref>] in <derived set of pairs>
		if pa, ra, pb, rb, ok := sc.pair(e.Operands()[0]); ok {
			k, ok := sc.derivedSet(e.Operands()[1])
			if !ok {
				return directCond{}, false
			}
			return directCond{path: pa, root: ra, op: opInSet, negated: e.Negated, set0: k, rhs: pb, rhsRoot: rb, hasRHS: true, tuple: true}, true
		}
		// <ref> in {<constants>}, or in a constant set of the module
		path, root, xf, ok := sc.valueRef(e.Operands()[0])
		if !ok || len(path) == 0 && root == 0 {
			return directCond{}, false
		}
		if k, ok := sc.derivedSet(e.Operands()[1]); ok {
			return directCond{path: path, root: root, op: opInSet, negated: e.Negated, xf: xf, set0: k}, true
		}
		c := directCond{path: path, root: root, op: opIn, negated: e.Negated, xf: xf}
		if ks := sc.constSet(e.Operands()[1]); ks != nil {
			c.set = ks
			return c, true
		}
		set, isSet := e.Operands()[1].Value.(ast.Set)
		if !isSet {
			return directCond{}, false
		}
		ok = true
		set.Foreach(func(t *ast.Term) {
			switch t.Value.(type) {
			case ast.String, ast.Boolean:
				c.set = append(c.set, newConstant(t.Value))
			default:
				ok = false
			}
		})
		return c, ok && len(c.set) > 0
	}
	op, ok := cmpOps[e.Operator().String()]
	if !ok {
		return directCond{}, false
	}
	a, b := e.Operands()[0], e.Operands()[1]
	bv := sc.constant(b)
	if bv == nil {
		a, bv = b, sc.constant(a)
		op = op.swapped()
	}
	if bv == nil {
		// <ref> <op> <ref>: two values of the input (an ordering or
		// !=; both calls, undefined when either reference is).
		a, b := e.Operands()[0], e.Operands()[1]
		op, _ := cmpOps[e.Operator().String()]
		if op == opEq {
			return directCond{}, false
		}
		pa, ra, okA := sc.ref(a)
		pb, rb, okB := sc.ref(b)
		if !okA || !okB || len(pa) == 0 && ra == 0 || len(pb) == 0 && rb == 0 {
			return directCond{}, false
		}
		return directCond{path: pa, root: ra, op: op, rhs: pb, rhsRoot: rb, hasRHS: true, negated: e.Negated}, true
	}
	b = ast.NewTerm(bv)
	if call, ok := a.Value.(ast.Call); ok {
		// count(<ref>) <op> <number>, not negated (count's errors and
		// undefined references under not are left to OPA).
		if _, isNum := b.Value.(ast.Number); !isNum || e.Negated || len(call) != 2 || call[0].String() != ast.Count.Ref().String() {
			return directCond{}, false
		}
		if set, ok := sc.valueSet(call[1]); ok {
			// count(<constant set>) <op> <number> (a helper's set
			// parameter: path_hits(_, ports) if count(ports) == 0): a
			// constant, true (one empty alternative) or false (none).
			distinct := map[string]bool{}
			for _, v := range set {
				distinct[v.String()] = true
			}
			c, k := directCond{op: opAny}, newConstant(b.Value)
			if op.holds(k.compare(scalar{kind: 2, i: int64(len(distinct))})) {
				c.alts = [][]directCond{{}}
			}
			return c, true
		}
		if path, root, ok := sc.objectGetCount(call[1], op, b.Value); ok {
			return directCond{path: path, root: root, op: op, value: b.Value, cnt: true, k: newConstant(b.Value)}, true
		}
		path, root, ok := sc.ref(call[1])
		if !ok || len(path) == 0 && root == 0 {
			return directCond{}, false
		}
		return directCond{path: path, root: root, op: op, value: b.Value, cnt: true, k: newConstant(b.Value)}, true
	}
	path, root, ok := sc.ref(a)
	if !ok || len(path) == 0 && root == 0 {
		return directCond{}, false
	}
	return directCond{path: path, root: root, op: op, value: b.Value, negated: e.Negated, k: newConstant(b.Value)}, true
}

// objectGetCount reads the argument t of count(t) <op> <n> (not negated)
// as object.get(<ref>, <string key>, <constant default>) whose default's
// count does not meet the comparison, or whose count is an error: the
// condition is then count(<ref>.<key>) <op> <n>, the path returned. Both
// are false alike when the reference is undefined or not an object (a
// type error of object.get, an undefined key below anything else), or
// when the object lacks the key (the default fails the comparison, the
// path is undefined); otherwise both count the key's value. A default
// whose count meets the comparison is not read (ok false).
func (sc *scope) objectGetCount(t *ast.Term, op cmpOp, n ast.Value) (path []*ast.Term, root uint8, ok bool) {
	call, isCall := t.Value.(ast.Call)
	if !isCall || len(call) != 4 || call[0].String() != ast.ObjectGet.Ref().String() {
		return nil, 0, false
	}
	key, isStr := sc.constant(call[2]).(ast.String)
	if !isStr || !call[3].IsGround() {
		return nil, 0, false
	}
	size, counted := astCount(call[3].Value)
	if !counted {
		switch call[3].Value.(type) {
		case ast.Number, ast.Boolean, ast.Null:
			size = -1 // count's type error: undefined, never meets it
		default:
			return nil, 0, false
		}
	}
	k := newConstant(n)
	if size >= 0 && op.holds(k.compare(scalar{kind: 2, i: int64(size)})) {
		return nil, 0, false
	}
	path, root, ok = sc.ref(call[1])
	if !ok {
		return nil, 0, false
	}
	return append(slices.Clone(path), ast.StringTerm(string(key))), root, true
}

// pair reads [<ref>, <ref>], a pair of references to facts.
func (sc *scope) pair(t *ast.Term) (pa []*ast.Term, ra uint8, pb []*ast.Term, rb uint8, ok bool) {
	arr, isArr := t.Value.(*ast.Array)
	if !isArr || arr.Len() != 2 {
		return nil, 0, nil, 0, false
	}
	pa, ra, okA := sc.ref(arr.Elem(0))
	pb, rb, okB := sc.ref(arr.Elem(1))
	if !okA || !okB || len(pa) == 0 && ra == 0 || len(pb) == 0 && rb == 0 {
		return nil, 0, nil, 0, false
	}
	return pa, ra, pb, rb, true
}

// directRef reports whether ref is <v>.<string>...
func directRef(ref ast.Ref, v ast.Var) bool { return directRefFrom(ref, v) }

func directRefFrom(ref ast.Ref, v ast.Var) bool {
	if len(ref) < 2 || !ref[0].Equal(ast.VarTerm(string(v))) {
		return false
	}
	for _, k := range ref[1:] {
		if _, ok := k.Value.(ast.String); !ok {
			return false
		}
	}
	return true
}

// constantMessage reads `message[id] := "<text>" if some id in fail`.
func constantMessage(r *ast.Rule) (string, bool) {
	h := r.Head
	if r.Else != nil || len(h.Reference) != 2 || h.Value == nil || len(r.Body) != 1 {
		return "", false
	}
	text, ok := h.Value.Value.(ast.String)
	if !ok {
		return "", false
	}
	id, ok := h.Reference[1].Value.(ast.Var)
	if !ok {
		return "", false
	}
	e := r.Body[0]
	sd, ok := e.Terms.(*ast.SomeDecl)
	if !ok || e.Negated || len(e.With) > 0 || len(sd.Symbols) != 1 {
		return "", false
	}
	call, ok := sd.Symbols[0].Value.(ast.Call)
	if !ok || len(call) != 3 || call[0].String() != ast.Member.Ref().String() || !call[1].Equal(ast.VarTerm(string(id))) ||
		!call[2].Equal(ast.VarTerm("fail")) {
		return "", false
	}
	return string(text), true
}

// A goPath reads the value at a path below a resource (r.type,
// r.tags.env, r.facts.storage.public_access) from the resource's Go fields
// rather than its Rego term, with the term's rules (toTerm): a field tagged
// omitempty that is empty is undefined, a nil pointer is undefined (or
// null without omitempty), indexing anything but an object is undefined.
// Only scalar leaves (strings, booleans, integers) are read this way; a
// rule with any other condition walks the terms.
type goPath struct {
	steps []goStep
	tags  bool // r.tags.<key>: a map lookup
	key   string
	leaf  reflect.Kind
	typ   reflect.Type // the leaf's type
	// omit: the leaf field is tagged omitempty (and is not a pointer).
	omit bool
}

type goStep struct {
	off  uintptr
	ptr  bool // the field is a pointer, followed
	omit bool
}

var (
	resourceType = reflect.TypeFor[resource.Resource]()
	viewType     = reflect.TypeFor[ruleView]()
)

// compileGoPath compiles a path of string keys below a resource, or returns
// nil when the value is not a scalar the Go fields give directly.
func compileGoPath(path []*ast.Term) *goPath { return compileGo(path, false) }

func compileGo(path []*ast.Term, presence bool) *goPath {
	names := make([]string, len(path))
	for i, t := range path {
		s, ok := t.Value.(ast.String)
		if !ok {
			return nil
		}
		names[i] = string(s)
	}
	return compileGoKeys(names, presence)
}

// compileGoKeys is compileGo of a path of keys.
func compileGoKeys(names []string, presence bool) *goPath {
	if len(names) == 0 {
		return nil
	}
	top := fieldNamed(viewType, names[0])
	if top == nil {
		return nil
	}
	vf := viewType.Field(top.index)
	rf, ok := resourceType.FieldByName(vf.Name)
	if !ok || rf.Type != vf.Type || len(rf.Index) != 1 {
		return nil
	}
	g := &goPath{}
	if vf.Name == "Tags" {
		if len(names) != 2 {
			return nil
		}
		g.tags, g.key, g.leaf = true, names[1], reflect.String
		return g
	}
	g.steps = make([]goStep, 0, len(names))
	g.steps = append(g.steps, goStep{off: rf.Offset, omit: top.omitEmpty})
	t := rf.Type
	for _, name := range names[1:] {
		if t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct {
			return nil
		}
		fi := fieldNamed(t, name)
		if fi == nil {
			return nil
		}
		sf := t.Field(fi.index)
		g.steps = append(g.steps, goStep{off: sf.Offset, ptr: sf.Type.Kind() == reflect.Pointer, omit: fi.omitEmpty})
		t = sf.Type
	}
	last := g.steps[len(g.steps)-1]
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	} else {
		g.omit = last.omit
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		g.leaf = t.Kind()
	case reflect.Struct, reflect.Slice, reflect.Map:
		if !presence {
			return nil
		}
		g.leaf, g.typ = t.Kind(), t
	default:
		return nil
	}
	// A pointer before the leaf must point to a struct (checked above); a
	// struct by value is never empty, so only the leaf can be omitted.
	return g
}

// compileGoPresence compiles a path whose value a bare reference tests:
// a scalar, or an object or list of which only presence counts.
func compileGoPresence(path []*ast.Term) *goPath { return compileGo(path, true) }

// scalar is a Go value as a Rego scalar.
type scalar struct {
	kind uint8 // rank in OPA's order of types: 0 null, 1 boolean, 2 number, 3 string; 4 any other (presence only)
	b    bool
	i    int64
	s    string
}

// get reads the value at g below r; ok is false when it is undefined.
func (g *goPath) get(r *resource.Resource) (v scalar, ok bool) {
	if g.tags {
		if len(r.Tags) == 0 {
			return v, false
		}
		s, ok := r.Tags[g.key]
		return scalar{kind: 3, s: s}, ok
	}
	p := unsafe.Pointer(r)
	n := len(g.steps)
	for k, s := range g.steps {
		p = unsafe.Add(p, s.off)
		if s.ptr {
			q := *(*unsafe.Pointer)(p)
			if q == nil {
				if s.omit || k < n-1 {
					return v, false // omitted, or null indexed
				}
				return scalar{kind: 0}, true
			}
			p = q
		}
	}
	switch g.leaf {
	case reflect.Bool:
		v = scalar{kind: 1, b: *(*bool)(p)}
		return v, !(g.omit && !v.b)
	case reflect.String:
		v = scalar{kind: 3, s: *(*string)(p)}
		return v, !(g.omit && v.s == "")
	case reflect.Int, reflect.Int64:
		v = scalar{kind: 2, i: *(*int64)(p)}
	case reflect.Int32:
		v = scalar{kind: 2, i: int64(*(*int32)(p))}
	case reflect.Int16:
		v = scalar{kind: 2, i: int64(*(*int16)(p))}
	case reflect.Int8:
		v = scalar{kind: 2, i: int64(*(*int8)(p))}
	case reflect.Struct: // an object: present
		return scalar{kind: 4}, true
	case reflect.Slice, reflect.Map: // present unless omitted when empty
		n := reflect.NewAt(g.typ, p).Elem().Len()
		return scalar{kind: 4}, !(g.omit && n == 0)
	}
	return v, !(g.omit && v.i == 0)
}

// constant is a condition's constant, prepared for comparing scalars.
type constant struct {
	v     ast.Value
	kind  uint8
	b     bool
	s     string
	i     int64
	isInt bool
}

func newConstant(v ast.Value) constant {
	c := constant{v: v}
	switch x := v.(type) {
	case ast.Null:
		c.kind = 0
	case ast.Boolean:
		c.kind, c.b = 1, bool(x)
	case ast.Number:
		c.kind = 2
		c.i, c.isInt = x.Int64()
		if c.isInt && ast.Number(strconv.FormatInt(c.i, 10)) != x {
			c.isInt = false // 1.0, 1e3: compared as OPA compares numbers
		}
	case ast.String:
		c.kind, c.s = 3, string(x)
	}
	return c
}

// compare orders v and c as ast.Value.Compare does for scalars.
func (c *constant) compare(v scalar) int {
	if v.kind != c.kind {
		return cmp.Compare(v.kind, c.kind)
	}
	switch v.kind {
	case 1:
		if v.b == c.b {
			return 0
		}
		if !v.b {
			return -1
		}
		return 1
	case 2:
		if c.isInt {
			return cmp.Compare(v.i, c.i)
		}
		return ast.NumberCompare(ast.Number(strconv.FormatInt(v.i, 10)), c.v.(ast.Number))
	case 3:
		return strings.Compare(v.s, c.s)
	}
	return 0
}

// holdsGo is holds on the resource's Go fields (every condition of the
// rule has a goPath).
func (c *directCond) holdsGo(r *resource.Resource) bool {
	v, ok := c.g.get(r)
	if !ok {
		return c.undefined()
	}
	if c.op == opExists {
		return true
	}
	return c.scalarHolds(v)
}

// scalarHolds is the outcome of a defined-value, membership or comparison
// condition (with its constant) on the scalar v.
func (c *directCond) scalarHolds(v scalar) bool {
	var res bool
	switch c.op {
	case opDefined:
		res = !(v.kind == 1 && !v.b)
	case opIn:
		for i := range c.set {
			if c.set[i].compare(v) == 0 {
				res = true
				break
			}
		}
	default:
		res = c.op.holds(c.k.compare(v))
	}
	return res != c.negated
}

// holds reports whether the comparison holds for k, the sign of the left
// operand compared with the right.
func (o cmpOp) holds(k int) bool {
	switch o {
	case opEq:
		return k == 0
	case opNeq:
		return k != 0
	case opLt:
		return k < 0
	case opLte:
		return k <= 0
	case opGt:
		return k > 0
	case opGte:
		return k >= 0
	}
	return false
}

// astCount is count(v) of a constant: the length of an array, set or
// object, the characters of a string; ok is false for anything else
// (count's type error).
func astCount(v ast.Value) (n int, ok bool) {
	switch x := v.(type) {
	case *ast.Array:
		return x.Len(), true
	case ast.Set:
		return x.Len(), true
	case ast.Object:
		return x.Len(), true
	case ast.String:
		return utf8.RuneCountInString(string(x)), true
	}
	return 0, false
}
