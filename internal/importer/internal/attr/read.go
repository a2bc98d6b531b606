package attr

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/resource"
)

// The typed reader the format importers share (AWS Config items, Resource
// Graph rows): a field of the wrong type (a string where the export has an
// object, a number where it has text) is reported once as a Problem naming
// the resource and the field path, and the facts that depend on it are
// left unset (UNKNOWN): a wrong type never gives a value. A "row" is one
// exported resource (a configuration item, a Resource Graph row, a CLI
// output).

// State is what a typed read of a row field found.
type State int

const (
	Absent State = iota // missing or JSON null: the row did not say
	OK                  // present with the expected type
	Bad                 // present with another type: reported as a problem
)

// Checker collects the problems of one row: every field read with the
// wrong type is reported once, with the resource ID and the field path,
// and the fact that depends on it is left unset (UNKNOWN).
type Checker struct {
	ID       string
	Problems []Problem
	seen     map[string]bool
	bad      int
}

// Count is the number of wrong-typed reads so far (a field read twice
// counts twice, though it is reported once): a normalizer compares it
// before and after reading a group of fields to drop the facts the group
// gives when one of them had the wrong type.
func (c *Checker) Count() int { return c.bad }

// Wrong reports a field of the wrong type (want: what the reader expected;
// got: the value found).
func (c *Checker) Wrong(field, want string, got any) {
	c.bad++
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[field] {
		return
	}
	c.seen[field] = true
	c.Problems = append(c.Problems, Problem{
		Resource: c.ID, Field: field,
		Err: fmt.Sprintf("%s: want %s, got %s", field, want, Kind(got)),
	})
}

// Kind names the JSON type of a decoded value, for problem messages.
func Kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case float64, gojson.Number, int:
		return "number"
	case []any:
		return "array"
	case M, *Object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// Node is an object of a row with its field path from the row (empty for
// the row itself) and the row's Checker. A zero Node (M nil) reads as
// Absent.
type Node struct {
	M    M
	Path FieldPath
	C    *Checker
	// It holds the row's members when it was decoded along a Shape (then
	// M is nil): the node reads them as it reads M's.
	It *Item
	// Ob holds the object's members when it was decoded as an Object
	// (DecodeShapedObjects; then M is nil): read as M's.
	Ob *Object
}

// Field is the path of the field at keys below the node.
func (n Node) Field(keys ...string) string { return n.Path.Below(keys...).String() }

// FieldPath is a field path from a row ("properties.rules[2].ports"),
// built as text only when a problem names it: the typed readers hand a
// path to every nested object and array element they read, and nearly
// none of them is ever reported, so a path is kept as its parts (the text
// of an ancestor's path, the key below it, the element index below that)
// and the text is made by String. The zero FieldPath is the row itself.
type FieldPath struct {
	base string // the path of an ancestor, as text
	key  string // the keys below base ("" for none)
	elem int    // the element index below base.key, plus one (0: none)
}

// PathOf is the path whose text is s.
func PathOf(s string) FieldPath { return FieldPath{base: s} }

// String is the path's text, made in one allocation.
func (p FieldPath) String() string {
	switch {
	case p.elem == 0 && p.key == "":
		return p.base
	case p.elem == 0 && p.base == "":
		return p.key
	}
	var num [20]byte
	var b strings.Builder
	b.Grow(len(p.base) + 1 + len(p.key) + 2 + len(num))
	b.WriteString(p.base)
	if p.key != "" {
		if p.base != "" {
			b.WriteByte('.')
		}
		b.WriteString(p.key)
	}
	if p.elem > 0 {
		b.WriteByte('[')
		b.Write(strconv.AppendInt(num[:0], int64(p.elem-1), 10))
		b.WriteByte(']')
	}
	return b.String()
}

// Below is the path of the field at keys below p.
func (p FieldPath) Below(keys ...string) FieldPath {
	switch {
	case len(keys) == 0:
		return p
	case len(keys) == 1 && p.key == "" && p.elem == 0:
		return FieldPath{base: p.base, key: keys[0]}
	}
	s := p.String()
	for _, k := range keys[:len(keys)-1] {
		if s == "" {
			s = k
		} else {
			s += "." + k
		}
	}
	return FieldPath{base: s, key: keys[len(keys)-1]}
}

// Elem is the path of element i of the array at p.
func (p FieldPath) Elem(i int) FieldPath {
	if p.elem == 0 {
		return FieldPath{base: p.base, key: p.key, elem: i + 1}
	}
	return FieldPath{base: p.String(), elem: i + 1}
}

// Lookup follows keys through nested objects. A value on the way that is
// neither an object (nor a string holding one) nor null is reported.
func (n Node) Lookup(keys ...string) (any, State) {
	var cur any
	start := 0
	switch {
	case n.M != nil:
		cur = n.M
	case n.Ob != nil:
		cur = n.Ob
	case n.It == nil:
		return nil, Absent
	case len(keys) == 0:
		return n.It.Map(), OK
	default:
		v, found := n.It.Get(keys[0])
		if !found || v == nil {
			return nil, Absent
		}
		cur, start = v, 1
	}
	for i := start; i < len(keys); i++ {
		k := keys[i]
		var v any
		var found bool
		switch t := cur.(type) {
		case M:
			v, found = Get(t, k)
		case *Object:
			v, found = t.Get(k)
		case nil:
			return nil, Absent
		default:
			o := AsObj(t)
			if o == nil {
				n.C.Wrong(n.Field(keys[:i]...), "object", t)
				return nil, Bad
			}
			v, found = Get(o, k)
		}
		if !found || v == nil {
			return nil, Absent
		}
		cur = v
	}
	return cur, OK
}

// Get is the member of key (Get on the node's object: present even as
// null).
func (n Node) Get(key string) (any, bool) {
	switch {
	case n.It != nil:
		return n.It.Get(key)
	case n.Ob != nil:
		return n.Ob.Get(key)
	}
	return Get(n.M, key)
}

// Map is the node's object (nil when absent), read-only: for ranging over
// its members or handing it to a reader of maps. Read single members
// through the node's methods.
func (n Node) Map() M {
	switch {
	case n.It != nil:
		return n.It.Map()
	case n.Ob != nil:
		return n.Ob.Map()
	}
	return n.M
}

// Len is the number of members of the node's object (0 when absent).
func (n Node) Len() int {
	switch {
	case n.It != nil:
		return n.It.Len()
	case n.Ob != nil:
		return n.Ob.Len()
	}
	return len(n.M)
}

// Has reports whether the key is present, even as null.
func (n Node) Has(key string) bool {
	_, found := n.Get(key)
	return found
}

// Present reports whether the node is an object the row carried.
func (n Node) Present() bool { return n.M != nil || n.It != nil || n.Ob != nil }

// Str reads text. A number, boolean, object or array where text belongs
// is a problem.
func (n Node) Str(keys ...string) (string, State) {
	v, st := n.Lookup(keys...)
	if st != OK {
		return "", st
	}
	s, isStr := v.(string)
	if !isStr {
		n.C.Wrong(n.Field(keys...), "string", v)
		return "", Bad
	}
	return s, OK
}

// S reads text, "" when Absent or of the wrong type (reported).
func (n Node) S(keys ...string) string { v, _ := n.Str(keys...); return v }

// Boolean reads a JSON boolean or the text "true"/"false".
func (n Node) Boolean(keys ...string) (*bool, State) {
	v, st := n.Lookup(keys...)
	if st != OK {
		return nil, st
	}
	if b := AsBool(v); b != nil {
		return b, OK
	}
	n.C.Wrong(n.Field(keys...), "boolean", v)
	return nil, Bad
}

// B reads a boolean, nil when Absent or of the wrong type (reported).
func (n Node) B(keys ...string) *bool { v, _ := n.Boolean(keys...); return v }

// Integer reads a whole JSON number or a numeric text.
func (n Node) Integer(keys ...string) (*int, State) {
	v, st := n.Lookup(keys...)
	if st != OK {
		return nil, st
	}
	switch t := v.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) <= 1e15 {
			i := int(t)
			return &i, OK
		}
	case gojson.Number:
		if i, err := t.Int64(); err == nil && i <= 1e15 && i >= -1e15 {
			x := int(i)
			return &x, OK
		}
	case string:
		if i, err := strconv.Atoi(strings.TrimSpace(t)); err == nil {
			return &i, OK
		}
	}
	n.C.Wrong(n.Field(keys...), "integer", v)
	return nil, Bad
}

// I reads an integer, nil when Absent or of the wrong type (reported).
func (n Node) I(keys ...string) *int { v, _ := n.Integer(keys...); return v }

// Obj reads a nested object; the returned Node is zero unless OK.
func (n Node) Obj(keys ...string) (Node, State) {
	v, st := n.Lookup(keys...)
	return n.obj(keys, v, st)
}

// ObjAt is Obj(key) on a node whose members are held elsewhere (an Item's):
// v and found are what Get gave for the key.
func (n Node) ObjAt(key string, v any, found bool) (Node, State) {
	return n.obj([]string{key}, v, at(v, found))
}

// ObjsAt is Objs(key) on a node whose members are held elsewhere (an
// Item's): v and found are what Get gave for the key.
func (n Node) ObjsAt(key string, v any, found bool) ([]Node, State) {
	return n.objs([]string{key}, v, at(v, found))
}

// at is the State Lookup gives a member Get found (or not).
func at(v any, found bool) State {
	if !found || v == nil {
		return Absent
	}
	return OK
}

// obj is Obj(keys...) once the value at keys was looked up.
func (n Node) obj(keys []string, v any, st State) (Node, State) {
	if st != OK {
		return Node{C: n.C}, st
	}
	if o, isObj := v.(*Object); isObj {
		return Node{Ob: o, Path: n.Path.Below(keys...), C: n.C}, OK
	}
	o := AsObj(v)
	if o == nil {
		n.C.Wrong(n.Field(keys...), "object", v)
		return Node{C: n.C}, Bad
	}
	return Node{M: o, Path: n.Path.Below(keys...), C: n.C}, OK
}

// NodeOf is a node over the object v (a map, an Object or a string
// holding an object) at path; isObj is false when v is not one.
func NodeOf(v any, path FieldPath, c *Checker) (n Node, isObj bool) {
	if o, is := v.(*Object); is {
		return Node{Ob: o, Path: path, C: c}, true
	}
	if o := AsObj(v); o != nil {
		return Node{M: o, Path: path, C: c}, true
	}
	return Node{C: c}, false
}

// O reads a nested object, a zero Node when Absent or wrong (reported).
func (n Node) O(keys ...string) Node { v, _ := n.Obj(keys...); return v }

// Objs reads an array of objects. An element of another type makes the
// whole list Bad (a partial list could turn a FAIL into a PASS); null
// elements are skipped.
func (n Node) Objs(keys ...string) ([]Node, State) {
	v, st := n.Lookup(keys...)
	return n.objs(keys, v, st)
}

// objs is Objs(keys...) once the value at keys was looked up.
func (n Node) objs(keys []string, v any, st State) ([]Node, State) {
	if st != OK {
		return nil, st
	}
	a := AsArr(v)
	if a == nil {
		n.C.Wrong(n.Field(keys...), "array", v)
		return nil, Bad
	}
	out := make([]Node, 0, len(a))
	base := n.Path.Below(keys...)
	for i, e := range a {
		if e == nil {
			continue
		}
		if o, isObj := e.(*Object); isObj {
			out = append(out, Node{Ob: o, Path: base.Elem(i), C: n.C})
			continue
		}
		o := AsObj(e)
		if o == nil {
			n.C.Wrong(base.Elem(i).String(), "object", e)
			return nil, Bad
		}
		out = append(out, Node{M: o, Path: base.Elem(i), C: n.C})
	}
	return out, OK
}

// Strs reads an array of strings. An element of another type makes the
// whole list Bad.
func (n Node) Strs(keys ...string) ([]string, State) {
	v, st := n.Lookup(keys...)
	if st != OK {
		return nil, st
	}
	if s, isStr := v.(string); isStr {
		// Exports write lists as arrays; a string is accepted only
		// when it holds a JSON array (a single value where a list belongs
		// could drop a "*" and turn a FAIL into a PASS).
		if a := AsArr(s); a != nil {
			v = a
		}
	}
	a, isArr := v.([]any)
	if !isArr {
		n.C.Wrong(n.Field(keys...), "array of strings", v)
		return nil, Bad
	}
	out := make([]string, 0, len(a))
	for i, e := range a {
		if e == nil {
			continue
		}
		s, isStr := e.(string)
		if !isStr {
			n.C.Wrong(fmt.Sprintf("%s[%d]", n.Field(keys...), i), "string", e)
			return nil, Bad
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, OK
}

// Ref reads the "id" of a reference object at the path ({"id": "..."}).
func (n Node) Ref(keys ...string) string { return n.S(append(keys, "id")...) }

// Enum reads text and compares it case-insensitively with the values: the
// index of the match, -1 for other text, -2 when Absent or Bad.
func (n Node) Enum(keys []string, values ...string) int {
	s, st := n.Str(keys...)
	if st != OK {
		return -2
	}
	for i, v := range values {
		if strings.EqualFold(s, v) {
			return i
		}
	}
	return -1
}

// Not negates a fact, keeping nil (unknown).
func Not(b *bool) *bool { return resource.Not(b) }

// Index is the field path of element i of the array at path base
// ("base[i]").
func Index(base string, i int) string {
	return base + "[" + strconv.Itoa(i) + "]"
}
