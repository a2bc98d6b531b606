package policy

import (
	"reflect"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Typed accessors for the direct conditions on the Go fields. A rule's
// paths are compiled once (compileNav) against the static Go types they
// go through; evaluating a condition then reads memory at the fields'
// offsets, with the type's kind known in advance, instead of walking
// reflect.Values (reflect.Value.Field, MapIndex, a MapIter per map, an
// interface per string): a pair (rule × resource) is a few loads and
// compares. The rules are toTerm's, as gonav.go's reflective walk follows
// them: a field tagged omitempty that is empty is undefined, a nil pointer,
// slice or map is null, indexing anything but an object is undefined.

// gkind is the kind of a gtype.
type gkind uint8

const (
	gkInvalid gkind = iota
	gkBool
	gkString
	gkInt
	gkInt8
	gkInt16
	gkInt32
	gkInt64
	gkPtr
	gkSlice
	gkMap // map[string]string, the only map type of the resource model
	gkStruct
)

// A gtype is a Go type of the resource model as the typed accessors read
// it.
type gtype struct {
	kind gkind
	elem *gtype // gkPtr, gkSlice: the element's type
	size uintptr
	// fields: gkStruct's fields that are keys of its object (json), in
	// order.
	fields []gfield
	rt     reflect.Type
}

type gfield struct {
	off  uintptr
	omit bool
	t    *gtype
}

// gval is a value of the Go fields: the address of its storage, or (p
// nil) the string s, a map's value (map values have no address).
type gval struct {
	p unsafe.Pointer
	s string
}

var (
	gtypes       sync.Map // reflect.Type -> *gtype; a cache of immutable type facts
	gtypesBuild  sync.Mutex
	mapSSType    = reflect.TypeFor[map[string]string]()
	gstringTypeG = &gtype{kind: gkString, rt: reflect.TypeFor[string](), size: unsafe.Sizeof("")}
)

// gtypeOf returns the gtype of t. A type the typed accessors do not read
// (floats, unsigned integers, interfaces, maps other than
// map[string]string) is gkInvalid: a path may go through a struct holding
// one, never reach one (gfull).
func gtypeOf(t reflect.Type) *gtype {
	if g, ok := gtypes.Load(t); ok {
		return g.(*gtype)
	}
	gtypesBuild.Lock()
	defer gtypesBuild.Unlock()
	building := map[reflect.Type]*gtype{}
	g := buildGtype(t, building)
	for rt, bg := range building {
		gtypes.Store(rt, bg)
	}
	return g
}

// buildGtype builds t's gtype; building holds the types being built (a
// recursive type refers to its own).
func buildGtype(t reflect.Type, building map[reflect.Type]*gtype) *gtype {
	if g, ok := gtypes.Load(t); ok {
		return g.(*gtype)
	}
	if g, ok := building[t]; ok {
		return g
	}
	g := &gtype{rt: t, size: t.Size()}
	building[t] = g
	switch t.Kind() {
	case reflect.Bool:
		g.kind = gkBool
	case reflect.String:
		g.kind = gkString
	case reflect.Int:
		g.kind = gkInt
	case reflect.Int8:
		g.kind = gkInt8
	case reflect.Int16:
		g.kind = gkInt16
	case reflect.Int32:
		g.kind = gkInt32
	case reflect.Int64:
		g.kind = gkInt64
	case reflect.Pointer:
		g.kind, g.elem = gkPtr, buildGtype(t.Elem(), building)
	case reflect.Slice:
		g.kind, g.elem = gkSlice, buildGtype(t.Elem(), building)
	case reflect.Map:
		if t == mapSSType {
			g.kind, g.elem = gkMap, gstringTypeG
		}
	case reflect.Struct:
		g.kind = gkStruct
		for _, f := range structFields(t) {
			sf := t.Field(f.index)
			g.fields = append(g.fields, gfield{off: sf.Offset, omit: f.omitEmpty, t: buildGtype(sf.Type, building)})
		}
	}
	return g
}

// gfull reports whether every value of t is one the typed accessors read
// (goSafe for them: no gkInvalid within).
func gfull(t *gtype, depth int) bool {
	if depth > 12 {
		return false
	}
	switch t.kind {
	case gkInvalid:
		return false
	case gkPtr, gkSlice:
		return gfull(t.elem, depth+1)
	case gkStruct:
		for _, f := range t.fields {
			if !gfull(f.t, depth+1) {
				return false
			}
		}
	}
	return true
}

// A tstep is a goNav step for the typed accessors.
type tstep struct {
	kind navKind
	off  uintptr // navField
	omit bool    // navField: tagged omitempty
	t    *gtype  // the type reached
	key  string  // navMap
}

type sliceHeader struct {
	data unsafe.Pointer
	len  int
	cap  int
}

// gderef follows pointers from v of type t; ok is false for a nil one
// (null).
func gderef(v gval, t *gtype) (gval, *gtype, bool) {
	for t.kind == gkPtr {
		q := *(*unsafe.Pointer)(v.p)
		if q == nil {
			return v, t, false
		}
		v, t = gval{p: q}, t.elem
	}
	return v, t, true
}

// gempty is encoding/json's notion of empty (omitempty) for the value at
// p of type t.
func gempty(p unsafe.Pointer, t *gtype) bool {
	switch t.kind {
	case gkBool:
		return !*(*bool)(p)
	case gkString:
		return len(*(*string)(p)) == 0
	case gkInt:
		return *(*int)(p) == 0
	case gkInt64:
		return *(*int64)(p) == 0
	case gkInt32:
		return *(*int32)(p) == 0
	case gkInt16:
		return *(*int16)(p) == 0
	case gkInt8:
		return *(*int8)(p) == 0
	case gkPtr:
		return *(*unsafe.Pointer)(p) == nil
	case gkSlice:
		return (*sliceHeader)(p).len == 0
	case gkMap:
		return len(*(*map[string]string)(p)) == 0
	}
	return false
}

// at follows the path from v (of the nav's starting type; the resource
// for a path from it); ok is false when it is undefined.
func (n *goNav) at(v gval) (gval, bool) {
	t := n.from
	for i := range n.tsteps {
		s := &n.tsteps[i]
		if t != nil && t.kind == gkPtr {
			var ok bool
			if v, t, ok = gderef(v, t); !ok {
				return v, false // null indexed
			}
		}
		switch s.kind {
		case navField:
			v.p = unsafe.Add(v.p, s.off)
			if s.omit && gempty(v.p, s.t) {
				return v, false
			}
		case navMap:
			m := *(*map[string]string)(v.p)
			if m == nil {
				return v, false
			}
			x, ok := m[s.key]
			if !ok {
				return v, false
			}
			v = gval{s: x}
		default:
			return v, false
		}
		t = s.t
	}
	return v, true
}

// gScalar is v (of type t) as a scalar: null, boolean, number, string, or
// kind 4 for an array or object (which OPA orders after every scalar).
func gScalar(v gval, t *gtype) scalar {
	if v.p == nil {
		return scalar{kind: 3, s: v.s}
	}
	v, t, ok := gderef(v, t)
	if !ok {
		return scalar{kind: 0}
	}
	switch t.kind {
	case gkBool:
		return scalar{kind: 1, b: *(*bool)(v.p)}
	case gkInt:
		return scalar{kind: 2, i: int64(*(*int)(v.p))}
	case gkInt64:
		return scalar{kind: 2, i: *(*int64)(v.p)}
	case gkInt32:
		return scalar{kind: 2, i: int64(*(*int32)(v.p))}
	case gkInt16:
		return scalar{kind: 2, i: int64(*(*int16)(v.p))}
	case gkInt8:
		return scalar{kind: 2, i: int64(*(*int8)(v.p))}
	case gkString:
		return scalar{kind: 3, s: *(*string)(v.p)}
	case gkSlice:
		if (*sliceHeader)(v.p).data == nil {
			return scalar{kind: 0}
		}
	case gkMap:
		if *(*map[string]string)(v.p) == nil {
			return scalar{kind: 0}
		}
	}
	return scalar{kind: 4}
}

// gString is v's text when it is a string.
func gString(v gval, t *gtype) (string, bool) {
	if v.p == nil {
		return v.s, true
	}
	v, t, ok := gderef(v, t)
	if !ok || t.kind != gkString {
		return "", false
	}
	return *(*string)(v.p), true
}

// gCount is count(v): the length of an array, object or string; ok is
// false for anything else (null included).
func gCount(v gval, t *gtype) (int, bool) {
	if v.p == nil {
		return utf8.RuneCountInString(v.s), true
	}
	v, t, ok := gderef(v, t)
	if !ok {
		return 0, false
	}
	switch t.kind {
	case gkSlice:
		h := (*sliceHeader)(v.p)
		return h.len, h.data != nil
	case gkMap:
		m := *(*map[string]string)(v.p)
		return len(m), m != nil
	case gkString:
		return utf8.RuneCountInString(*(*string)(v.p)), true
	case gkStruct:
		n := 0
		for _, f := range t.fields {
			if !f.omit || !gempty(unsafe.Add(v.p, f.off), f.t) {
				n++
			}
		}
		return n, true
	}
	return 0, false
}

// gIsArray reports whether v is an array (a slice that is not nil).
func gIsArray(v gval, t *gtype) bool {
	if v.p == nil {
		return false
	}
	v, t, ok := gderef(v, t)
	return ok && t.kind == gkSlice && (*sliceHeader)(v.p).data != nil
}

// gHas reports whether a value of v (an array's elements, an object's
// values) compares equal to k.
func gHas(v gval, t *gtype, k *constant) bool {
	if v.p == nil {
		return false
	}
	v, t, ok := gderef(v, t)
	if !ok {
		return false
	}
	switch t.kind {
	case gkSlice:
		h := (*sliceHeader)(v.p)
		for i := range h.len {
			if k.compare(gScalar(gval{p: unsafe.Add(h.data, uintptr(i)*t.elem.size)}, t.elem)) == 0 {
				return true
			}
		}
	case gkMap:
		for _, x := range *(*map[string]string)(v.p) {
			if k.compare(scalar{kind: 3, s: x}) == 0 {
				return true
			}
		}
	case gkStruct:
		for _, f := range t.fields {
			p := unsafe.Add(v.p, f.off)
			if f.omit && gempty(p, f.t) {
				continue
			}
			if k.compare(gScalar(gval{p: p}, f.t)) == 0 {
				return true
			}
		}
	}
	return false
}

// reflectOf is v as a reflect.Value (for the rare comparisons of arrays
// and objects, through their Rego terms).
func reflectOf(v gval, t *gtype) reflect.Value {
	if v.p == nil {
		return reflect.ValueOf(v.s)
	}
	return reflect.NewAt(t.rt, v.p).Elem()
}
