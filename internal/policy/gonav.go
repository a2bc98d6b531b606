package policy

import (
	"reflect"
	"strings"
	"unicode/utf8"
	"unsafe"

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
	// keys is the path compiled (a rule's form built at build time,
	// forms.go, is compiled again from it).
	keys  []string
	steps []navStep
	leaf  reflect.Type // the static type of the value reached
	// The same path for the typed accessors (gotyped.go): from is the
	// starting type (nil: the resource), tsteps the steps, tleaf the type
	// reached.
	from   *gtype
	tsteps []tstep
	tleaf  *gtype
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
	v    [maxLevels + 1]gval
	sets []map[setKey]struct{}
	out  map[setKey]struct{}
	now  goNow // input.now, for opTime
	// xf holds the last string a condition's lower or upper changed
	// (applyXfTo): the condition reads it before the next one is made.
	xf []byte
}

// applyXfTo is applyXf without allocating for an ASCII string: lower and
// upper change it into env.xf, reused by the next call (strings.ToLower and
// ToUpper map ASCII letters alone, and return the string itself when none
// changes). A string with other bytes is applyXf's.
func applyXfTo(xf uint8, s string, env *goEnv) string {
	switch xf {
	case xfTrim, xfTrimLower, xfTrimUpper:
		s = strings.TrimSpace(s)
	}
	var lo, hi byte // the letters that change
	switch xf {
	case xfLower, xfTrimLower:
		lo, hi = 'A', 'Z'
	case xfUpper, xfTrimUpper:
		lo, hi = 'a', 'z'
	default:
		return s
	}
	first := -1
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return applyXf(xf, s) // trimmed already: trimming again changes nothing
		}
		if first < 0 && lo <= c && c <= hi {
			first = i
		}
	}
	if first < 0 {
		return s
	}
	b := append(env.xf[:0], s...)
	for i := first; i < len(b); i++ {
		if c := b[i]; lo <= c && c <= hi {
			b[i] = c ^ 0x20
		}
	}
	env.xf = b
	return unsafe.String(&b[0], len(b))
}

// compileNav compiles path from type from (nil: the resource view); ok is
// false when a step's type cannot be known statically or a leaf type is
// one the Go comparisons do not handle.
func compileNav(from reflect.Type, path []*ast.Term) (*goNav, bool) {
	var keys []string
	if len(path) > 0 {
		keys = make([]string, len(path))
	}
	for k, p := range path {
		s, ok := p.Value.(ast.String)
		if !ok {
			return nil, false
		}
		keys[k] = string(s)
	}
	return compileNavKeys(from, keys)
}

// compileNavKeys is compileNav of a path of keys.
func compileNavKeys(from reflect.Type, keys []string) (*goNav, bool) {
	n := &goNav{keys: keys}
	if len(keys) > 0 {
		n.steps, n.tsteps = make([]navStep, 0, len(keys)), make([]tstep, 0, len(keys))
	}
	if from != nil {
		n.from = gtypeOf(from)
	}
	t := from
	for k, s := range keys {
		if t == nil && k == 0 {
			st, ft, ok := viewStep(string(s))
			if !ok {
				n.never()
				return n, true
			}
			n.steps, t = append(n.steps, st), ft
			n.tsteps = append(n.tsteps, tstep{kind: navField, off: resourceType.Field(st.index).Offset, omit: st.omit, t: gtypeOf(ft)})
			continue
		}
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch t.Kind() {
		case reflect.Struct:
			fi := fieldNamed(t, s)
			if fi == nil {
				n.never()
				return n, true
			}
			sf := t.Field(fi.index)
			n.steps = append(n.steps, navStep{kind: navField, index: fi.index, omit: fi.omitEmpty})
			n.tsteps = append(n.tsteps, tstep{kind: navField, off: sf.Offset, omit: fi.omitEmpty, t: gtypeOf(sf.Type)})
			t = sf.Type
		case reflect.Map:
			if t != mapSSType {
				return nil, false // the typed accessors read map[string]string only
			}
			n.steps = append(n.steps, navStep{kind: navMap, key: reflect.ValueOf(string(s)).Convert(t.Key())})
			n.tsteps = append(n.tsteps, tstep{kind: navMap, key: string(s), t: gstringTypeG})
			t = t.Elem()
		default:
			n.never()
			return n, true
		}
	}
	if t == nil || !goSafe(t, 0) {
		return nil, false
	}
	n.leaf, n.tleaf = t, gtypeOf(t)
	if !gfull(n.tleaf, 0) {
		return nil, false
	}
	return n, true
}

// never ends the path with a step that is never defined.
func (n *goNav) never() {
	n.steps = append(n.steps, navStep{kind: navNever})
	n.tsteps = append(n.tsteps, tstep{kind: navNever})
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

// holdsOnGo is holds on the resource's Go fields, through the typed
// accessors (gotyped.go).
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
	v, ok := c.nav.at(c.from(r, env))
	if c.op == opCountIf {
		n := 0
		if ok {
			n = c.countElems(v, r, env)
		}
		return c.cop.holds(c.k.compare(scalar{kind: 2, i: int64(n)})) != c.negated
	}
	if !ok {
		return c.undefined()
	}
	t := c.nav.tleaf
	switch c.op {
	case opExists:
		return true
	case opNative:
		s, ok := gString(v, t)
		return (ok && c.nat.fn(s)) != c.negated
	case opTime:
		s, ok := gString(v, t)
		return (ok && timeHolds(c.tfn, s, &c.k, env.now)) != c.negated
	case opEmit:
		// A derived set's key: added, and false so that every binding of
		// the body is enumerated.
		if k, ok := c.key(v, r, env); ok {
			env.out[k] = struct{}{}
		}
		return false
	case opHas:
		return gHas(v, t, &c.k) != c.negated
	case opSome:
		return c.someElem(v, r, env)
	}
	if c.xf != xfNone {
		s, ok := gString(v, t)
		if !ok {
			return false // lower's type error: undefined either way
		}
		v, t = gval{s: applyXfTo(c.xf, s, env)}, gstringTypeG
	}
	switch c.op {
	case opStarts, opEnds, opContains:
		s, ok := gString(v, t)
		if !ok {
			return c.negated
		}
		k := c.k.s
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
		return gScalar(v, t).kind == 2
	case opIsString:
		return gScalar(v, t).kind == 3
	case opIsBoolean:
		return gScalar(v, t).kind == 1
	case opIsArray:
		return gIsArray(v, t)
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
		n, ok := gCount(v, t)
		if !ok {
			return false // count's type error: the expression is undefined
		}
		sv = scalar{kind: 2, i: int64(n)}
	} else {
		sv = gScalar(v, t)
	}
	if c.hasRHS {
		w, ok := c.rnav.at(c.rhsFrom(r, env))
		if !ok {
			return c.undefined()
		}
		return c.op.holds(compareGo(v, t, sv, w, c.rnav.tleaf)) != c.negated
	}
	return c.scalarHolds(sv)
}

// someElem is `some x in v`: whether the conditions sub hold for one
// element of the array, or value of the object, v (whose element type
// compileGoConds checked: arrays and maps only).
func (c *directCond) someElem(v gval, r *resource.Resource, env *goEnv) bool {
	return c.matches(v, r, env, true) > 0
}

// countElems counts the elements of v for which the conditions sub hold
// (opCountIf).
func (c *directCond) countElems(v gval, r *resource.Resource, env *goEnv) int {
	return c.matches(v, r, env, false)
}

// matches counts the elements of v (bound at c.level) for which the
// conditions sub hold, up to the first when first is set.
func (c *directCond) matches(v gval, r *resource.Resource, env *goEnv, first bool) int {
	v, t, ok := gderef(v, c.nav.tleaf)
	if !ok || v.p == nil {
		return 0
	}
	n := 0
	switch t.kind {
	case gkSlice:
		h := *(*sliceHeader)(v.p)
		for i := range h.len {
			env.v[c.level] = gval{p: unsafe.Add(h.data, uintptr(i)*t.elem.size)}
			if allHoldOnGo(c.sub, r, env) {
				if n++; first {
					return n
				}
			}
		}
	case gkMap:
		for _, x := range *(*map[string]string)(v.p) {
			env.v[c.level] = gval{s: x}
			if allHoldOnGo(c.sub, r, env) {
				if n++; first {
					return n
				}
			}
		}
	}
	return n
}

// A setKey is an element of a derived set: a scalar (n 1), or a pair of
// scalars (n 2).
type setKey struct {
	a, b scalar
	n    uint8
}

// key is the derived set element of an opEmit or opInSet whose first
// value is v; ok is false when the pair's second value is undefined.
func (c *directCond) key(v gval, r *resource.Resource, env *goEnv) (setKey, bool) {
	if !c.tuple {
		return setKey{a: gScalar(v, c.nav.tleaf), n: 1}, true
	}
	w, ok := c.rnav.at(c.rhsFrom(r, env))
	if !ok {
		return setKey{}, false
	}
	return setKey{a: gScalar(v, c.nav.tleaf), b: gScalar(w, c.rnav.tleaf), n: 2}, true
}

// from is where the condition's path starts: the resource, or an element.
func (c *directCond) from(r *resource.Resource, env *goEnv) gval {
	if c.root > 0 {
		return env.v[c.root]
	}
	return gval{p: unsafe.Pointer(r)}
}

func (c *directCond) rhsFrom(r *resource.Resource, env *goEnv) gval {
	if c.rhsRoot > 0 {
		return env.v[c.rhsRoot]
	}
	return gval{p: unsafe.Pointer(r)}
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

// compareGo orders v (of type t, whose scalar is sv) and w (of type wt) as
// ast.Value.Compare orders their terms.
func compareGo(v gval, t *gtype, sv scalar, w gval, wt *gtype) int {
	sw := gScalar(w, wt)
	if sv.kind < 4 && sw.kind < 4 {
		k := constant{kind: sw.kind, b: sw.b, s: sw.s, i: sw.i, isInt: true}
		return k.compare(sv)
	}
	a, err1 := toTerm(reflectOf(v, t))
	b, err2 := toTerm(reflectOf(w, wt))
	if err1 != nil || err2 != nil {
		return 1
	}
	return a.Value.Compare(b.Value)
}
