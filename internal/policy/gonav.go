package policy

import (
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vigil-sec/vigil/internal/resource"
)

// The direct conditions on the Go fields: every shape a direct rule may
// have (some over lists and maps, helpers, count, membership, string
// tests, two references compared), read from the resource's Go values
// with the rules by which toTerm makes its Rego term (a field tagged
// omitempty that is empty is undefined, a nil pointer, slice or map is
// null, indexing anything but an object is undefined). A rule whose every
// condition compiles this way (compileGoConds) needs no Rego term of its
// class: converting a class's resources to terms costs more than judging
// them. The comparisons with OPA on every built-in rule test input, the
// sample organization and the synthetic inventories check both agree.

// goNav is a path of string keys compiled against the static Go type it
// starts from (nil: the resource's rule view).
type goNav struct {
	steps []navStep
	leaf  reflect.Type // the static type of the value reached
}

type navKind uint8

const (
	navField navKind = iota // a struct field (of the view: of the Resource)
	navMap                  // a string-keyed map's entry
	navNever                // not an object's key: undefined
)

type navStep struct {
	kind  navKind
	index int
	omit  bool
	key   reflect.Value // navMap
}

// goEnv holds the elements bound by the enclosing opSome conditions, by
// level, as Go values; the rule's derived sets computed so far (sets, by
// index), and the set a derived set's body adds its keys to (out).
type goEnv struct {
	v    [maxLevels + 1]reflect.Value
	sets []map[setKey]struct{}
	out  map[setKey]struct{}
	now  goNow // input.now, for opTime
}

// compileNav compiles path from type from (nil: the resource view); ok is
// false when a step's type cannot be known statically or a leaf type is
// one the Go comparisons do not handle.
func compileNav(from reflect.Type, path []*ast.Term) (*goNav, bool) {
	n := &goNav{}
	t := from
	for k, p := range path {
		s, ok := p.Value.(ast.String)
		if !ok {
			return nil, false
		}
		if t == nil && k == 0 {
			st, ft, ok := viewStep(string(s))
			if !ok {
				n.steps = append(n.steps, navStep{kind: navNever})
				return n, true
			}
			n.steps, t = append(n.steps, st), ft
			continue
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			var fi *fieldInfo
			for _, f := range structFields(t) {
				if f.name == string(s) {
					fi = &f
					break
				}
			}
			if fi == nil {
				n.steps = append(n.steps, navStep{kind: navNever})
				return n, true
			}
			n.steps = append(n.steps, navStep{kind: navField, index: fi.index, omit: fi.omitEmpty})
			t = t.Field(fi.index).Type
		case reflect.Map:
			if t.Key().Kind() != reflect.String {
				return nil, false
			}
			n.steps = append(n.steps, navStep{kind: navMap, key: reflect.ValueOf(string(s)).Convert(t.Key())})
			t = t.Elem()
		default:
			n.steps = append(n.steps, navStep{kind: navNever})
			return n, true
		}
	}
	if t == nil || !goSafe(t, 0) {
		return nil, false
	}
	n.leaf = t
	return n, true
}

// viewStep is the step of a top-level key of the resource view: the
// Resource field of the same name and type.
func viewStep(key string) (navStep, reflect.Type, bool) {
	for _, fi := range structFields(viewType) {
		if fi.name != key {
			continue
		}
		vf := viewType.Field(fi.index)
		rf, ok := resourceType.FieldByName(vf.Name)
		if !ok || rf.Type != vf.Type || len(rf.Index) != 1 {
			return navStep{}, nil, false
		}
		return navStep{kind: navField, index: rf.Index[0], omit: fi.omitEmpty}, rf.Type, true
	}
	return navStep{}, nil, false
}

// goSafe reports whether every value of type t converts to a term the Go
// comparisons handle: structs, pointers, slices, string maps, strings,
// booleans and signed integers (no floats, unsigned or interfaces).
func goSafe(t reflect.Type, depth int) bool {
	if depth > 12 {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	case reflect.Pointer, reflect.Slice:
		return goSafe(t.Elem(), depth+1)
	case reflect.Map:
		return t.Key().Kind() == reflect.String && goSafe(t.Elem(), depth+1)
	case reflect.Struct:
		for _, f := range structFields(t) {
			if !goSafe(t.Field(f.index).Type, depth+1) {
				return false
			}
		}
		return true
	}
	return false
}

// get follows the path from v; ok is false when it is undefined.
func (n *goNav) get(v reflect.Value) (reflect.Value, bool) {
	for i := range n.steps {
		s := &n.steps[i]
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return v, false // null indexed
			}
			v = v.Elem()
		}
		switch s.kind {
		case navField:
			if v.Kind() != reflect.Struct {
				return v, false
			}
			v = v.Field(s.index)
			if s.omit && isEmptyValue(v) {
				return v, false
			}
		case navMap:
			if v.Kind() != reflect.Map || v.IsNil() {
				return v, false
			}
			v = v.MapIndex(s.key)
			if !v.IsValid() {
				return v, false
			}
		default:
			return v, false
		}
	}
	return v, true
}

// compileGoConds compiles every condition (and those it holds) for the Go
// fields; types[k] is the static type of the element of level k (0: the
// resource view, nil).
func compileGoConds(conds []directCond, types *[maxLevels + 1]reflect.Type) bool {
	for i := range conds {
		c := &conds[i]
		if c.root == 0 && len(c.path) == 0 && c.op != opAny && c.op != opNone {
			return false // the resource itself as a value
		}
		var from reflect.Type
		if c.root > 0 {
			if from = types[c.root]; from == nil {
				return false
			}
		}
		if len(c.path) > 0 || c.root > 0 {
			nav, ok := compileNav(from, c.path)
			if !ok {
				return false
			}
			c.nav = nav
		}
		if c.hasRHS {
			var rf reflect.Type
			if c.rhsRoot > 0 {
				if rf = types[c.rhsRoot]; rf == nil {
					return false
				}
			}
			nav, ok := compileNav(rf, c.rhs)
			if !ok {
				return false
			}
			c.rnav = nav
		}
		switch c.op {
		case opSome, opCountIf:
			if c.nav.leaf == nil && c.op == opCountIf {
				continue // never defined: counts nothing
			}
			if c.nav.leaf == nil {
				return false
			}
			et := c.nav.leaf
			for et.Kind() == reflect.Pointer {
				et = et.Elem()
			}
			switch et.Kind() {
			case reflect.Slice, reflect.Map:
				et = et.Elem()
			default:
				return false // an object's values of several types, or no collection
			}
			if int(c.level) >= len(types) {
				return false
			}
			saved := types[c.level]
			types[c.level] = et
			ok := compileGoConds(c.sub, types)
			types[c.level] = saved
			if !ok {
				return false
			}
		case opAny, opNone:
			for _, alt := range c.alts {
				if !compileGoConds(alt, types) {
					return false
				}
			}
		case opEmit:
			// A derived set holds scalars (or pairs of them): its key's
			// types must be ones.
			if !scalarType(c.nav.leaf) || c.tuple && !scalarType(c.rnav.leaf) {
				return false
			}
		}
	}
	return true
}

// scalarType reports whether t (through pointers) is a scalar's type.
func scalarType(t reflect.Type) bool {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.Bool, reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return true
	}
	return false
}

// goCompileDirect compiles every body of d (and of its derived sets) for
// the Go fields and reports whether all did.
func goCompileDirect(d *direct) bool {
	all := [][][]directCond{d.bodies, d.skips}
	for _, ds := range d.derived {
		all = append(all, ds.bodies)
	}
	for _, bodies := range all {
		for _, b := range bodies {
			var types [maxLevels + 1]reflect.Type
			if !compileGoConds(b, &types) {
				return false
			}
		}
	}
	return true
}

// holdsOnGo is holds on the resource's Go fields.
func (c *directCond) holdsOnGo(r *resource.Resource, env *goEnv) bool {
	if c.g != nil {
		return c.holdsGo(r)
	}
	if c.op == opAny || c.op == opNone {
		// No path: a helper's arguments are checked apart (opExists).
		any := false
		for _, alt := range c.alts {
			if allHoldOnGo(alt, r, env) {
				any = true
				break
			}
		}
		return any == (c.op == opAny)
	}
	if c.op == opCountIf {
		n := 0
		if v, ok := c.nav.get(c.from(r, env)); ok {
			eachElem(v, func(x reflect.Value) bool {
				env.v[c.level] = x
				if allHoldOnGo(c.sub, r, env) {
					n++
				}
				return false
			})
		}
		return c.cop.holds(c.k.compare(scalar{kind: 2, i: int64(n)})) != c.negated
	}
	v, ok := c.nav.get(c.from(r, env))
	if !ok {
		return c.undefined()
	}
	switch c.op {
	case opExists:
		return true
	case opNative:
		s, ok := goString(v)
		return (ok && c.nat(s)) != c.negated
	case opTime:
		s, ok := goString(v)
		return (ok && timeHolds(c.tfn, s, &c.k, env.now)) != c.negated
	case opEmit:
		// A derived set's key: added, and false so that every binding of
		// the body is enumerated.
		if k, ok := c.key(v, r, env); ok {
			env.out[k] = struct{}{}
		}
		return false
	case opHas:
		k := newConstant(c.value)
		found := eachValue(v, func(x reflect.Value) bool { return k.compare(goScalar(x)) == 0 })
		return found != c.negated
	case opSome:
		return eachElem(v, func(x reflect.Value) bool {
			env.v[c.level] = x
			return allHoldOnGo(c.sub, r, env)
		})
	}
	if c.xf != xfNone {
		s, ok := goString(v)
		if !ok {
			return false // lower's type error: undefined either way
		}
		v = reflect.ValueOf(applyXf(c.xf, s))
	}
	switch c.op {
	case opStarts, opEnds, opContains:
		s, ok := goString(v)
		if !ok {
			return c.negated
		}
		k := string(c.value.(ast.String))
		var res bool
		switch c.op {
		case opStarts:
			res = strings.HasPrefix(s, k)
		case opEnds:
			res = strings.HasSuffix(s, k)
		default:
			res = strings.Contains(s, k)
		}
		return res != c.negated
	case opIsNumber:
		return goScalar(v).kind == 2
	case opIsString:
		return goScalar(v).kind == 3
	case opIsBoolean:
		return goScalar(v).kind == 1
	case opIsArray:
		v, ok := deref(v)
		return ok && v.Kind() == reflect.Slice && !v.IsNil()
	case opInSet:
		// <ref> in <derived set>: the set holds scalars (and pairs of
		// scalars) only.
		k, ok := c.key(v, r, env)
		if !ok {
			return c.undefined()
		}
		_, in := env.sets[c.set0][k]
		return (k.a.kind < 4 && k.b.kind < 4 && in) != c.negated
	}
	var sv scalar
	if c.cnt {
		n, ok := goCount(v)
		if !ok {
			return false // count's type error: the expression is undefined
		}
		sv = scalar{kind: 2, i: int64(n)}
	} else {
		sv = goScalar(v)
	}
	if c.hasRHS {
		w, ok := c.rnav.get(c.rhsFrom(r, env))
		if !ok {
			return c.undefined()
		}
		return c.op.holds(compareGo(v, sv, w)) != c.negated
	}
	return c.scalarHolds(sv)
}

// A setKey is an element of a derived set: a scalar (n 1), or a pair of
// scalars (n 2).
type setKey struct {
	a, b scalar
	n    uint8
}

// key is the derived set element of an opEmit or opInSet whose first
// value is v; ok is false when the pair's second value is undefined.
func (c *directCond) key(v reflect.Value, r *resource.Resource, env *goEnv) (setKey, bool) {
	if !c.tuple {
		return setKey{a: goScalar(v), n: 1}, true
	}
	w, ok := c.rnav.get(c.rhsFrom(r, env))
	if !ok {
		return setKey{}, false
	}
	return setKey{a: goScalar(v), b: goScalar(w), n: 2}, true
}

// from is where the condition's path starts: the resource, or an element.
func (c *directCond) from(r *resource.Resource, env *goEnv) reflect.Value {
	if c.root > 0 {
		return env.v[c.root]
	}
	return reflect.ValueOf(r).Elem()
}

func (c *directCond) rhsFrom(r *resource.Resource, env *goEnv) reflect.Value {
	if c.rhsRoot > 0 {
		return env.v[c.rhsRoot]
	}
	return reflect.ValueOf(r).Elem()
}

func allHoldOnGo(conds []directCond, r *resource.Resource, env *goEnv) bool {
	for i := range conds {
		if !conds[i].holdsOnGo(r, env) {
			return false
		}
	}
	return true
}

func anyBodyOnGo(bodies [][]directCond, r *resource.Resource, sets []map[setKey]struct{}, now goNow) bool {
	env := goEnv{sets: sets, now: now}
	for _, body := range bodies {
		if allHoldOnGo(body, r, &env) {
			return true
		}
	}
	return false
}

// deref follows pointers; ok is false for a nil one (null).
func deref(v reflect.Value) (reflect.Value, bool) {
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return v, false
		}
		v = v.Elem()
	}
	return v, true
}

// goScalar is v as a scalar: null, boolean, number, string, or kind 4 for
// an array or object (which OPA orders after every scalar).
func goScalar(v reflect.Value) scalar {
	v, ok := deref(v)
	if !ok {
		return scalar{kind: 0}
	}
	switch v.Kind() {
	case reflect.Bool:
		return scalar{kind: 1, b: v.Bool()}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return scalar{kind: 2, i: v.Int()}
	case reflect.String:
		return scalar{kind: 3, s: v.String()}
	case reflect.Slice, reflect.Map:
		if v.IsNil() {
			return scalar{kind: 0}
		}
	}
	return scalar{kind: 4}
}

// goString is v's text when it is a string.
func goString(v reflect.Value) (string, bool) {
	v, ok := deref(v)
	if !ok || v.Kind() != reflect.String {
		return "", false
	}
	return v.String(), true
}

// goCount is count(v): the length of an array, object or string; ok is
// false for anything else (null included).
func goCount(v reflect.Value) (int, bool) {
	v, ok := deref(v)
	if !ok {
		return 0, false
	}
	switch v.Kind() {
	case reflect.Slice, reflect.Map:
		if v.IsNil() {
			return 0, false
		}
		return v.Len(), true
	case reflect.String:
		return utf8.RuneCountInString(v.String()), true
	case reflect.Struct:
		n := 0
		eachValue(v, func(reflect.Value) bool { n++; return false })
		return n, true
	}
	return 0, false
}

// eachValue calls f on each element of an array, each value of an object
// (a map, or a struct's fields that are present), until f returns true.
func eachValue(v reflect.Value, f func(reflect.Value) bool) bool {
	v, ok := deref(v)
	if !ok {
		return false
	}
	switch v.Kind() {
	case reflect.Slice:
		for i := range v.Len() {
			if f(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if f(it.Value()) {
				return true
			}
		}
	case reflect.Struct:
		for _, fi := range structFields(v.Type()) {
			x := v.Field(fi.index)
			if fi.omitEmpty && isEmptyValue(x) {
				continue
			}
			if f(x) {
				return true
			}
		}
	}
	return false
}

// eachElem is eachValue for `some x in v` (whose element types
// compileGoConds checked: arrays and maps only).
func eachElem(v reflect.Value, f func(reflect.Value) bool) bool { return eachValue(v, f) }

// compareGo orders v (whose scalar is sv) and w as ast.Value.Compare
// orders their terms.
func compareGo(v reflect.Value, sv scalar, w reflect.Value) int {
	sw := goScalar(w)
	if sv.kind < 4 && sw.kind < 4 {
		k := constant{kind: sw.kind, b: sw.b, s: sw.s, i: sw.i, isInt: true}
		return k.compare(sv)
	}
	a, err1 := toTerm(v)
	b, err2 := toTerm(w)
	if err1 != nil || err2 != nil {
		return 1
	}
	return a.Value.Compare(b.Value)
}
