package gcp

import (
	"fmt"
	"iter"
	"maps"
	"math"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// Typed reads of an asset's fields. A field of the wrong type (a string
// where the API has an object, a number where it has text) is reported once
// as a Problem naming the asset and the field path, and the facts that
// depend on it are left unset (UNKNOWN): a wrong type never gives a value.

// state is what a typed read found.
type state int

const (
	absent state = iota // missing or JSON null: the asset did not say
	ok                  // present with the expected type
	bad                 // present with another type: reported as a problem
)

// checker collects the problems of one asset.
type checker struct {
	name     string
	bad      int // wrong-typed reads, counting repeated reads of one field
	problems []attr.Problem
	seen     map[string]bool
}

// count is the number of problems so far: a normalizer compares it before
// and after reading a group of fields to drop the facts the group gives
// when one of them had the wrong type.
func (c *checker) count() int { return c.bad }

func (c *checker) wrong(field, want string, got any) {
	c.bad++
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[field] {
		return
	}
	c.seen[field] = true
	c.problems = append(c.problems, attr.Problem{
		Resource: c.name, Field: field,
		Err: fmt.Sprintf("%s: want %s, got %s", field, want, jsonKind(got)),
	})
}

func jsonKind(v any) string {
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
	case attr.M, *attr.Object:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// node is an object of an asset with its field path from the asset ("" for
// the asset itself, "resource.data" for the resource's API representation)
// and the asset's checker. A zero node (m and ob nil) reads as absent.
type node struct {
	m attr.M
	// ob holds the object when it was decoded as an attr.Object (the
	// objects below a line's own, when Raw is dropped): read as m's.
	ob   *attr.Object
	path attr.FieldPath // text only when reported
	c    *checker
}

// nodeOf is the node over the decoded object v (a map or an Object) at
// path; ok is false when v is not one.
func nodeOf(v any, path attr.FieldPath, c *checker) (n node, isObj bool) {
	switch t := v.(type) {
	case attr.M:
		return node{m: t, path: path, c: c}, true
	case *attr.Object:
		return node{ob: t, path: path, c: c}, true
	}
	return node{c: c}, false
}

func (n node) field(keys ...string) string { return n.path.Below(keys...).String() }

// get is the member of key (attr.Get on the node's object: present even
// as null).
func (n node) get(key string) (any, bool) {
	if n.ob != nil {
		return n.ob.Get(key)
	}
	return attr.Get(n.m, key)
}

// has reports whether the key is present, even as null.
func (n node) has(key string) bool {
	_, found := n.get(key)
	return found
}

// present reports whether the node is an object the asset carried.
func (n node) present() bool { return n.m != nil || n.ob != nil }

// lookup follows keys through nested objects. A value on the way that is
// neither an object nor null is reported.
func (n node) lookup(keys ...string) (any, state) {
	var cur any
	switch {
	case n.m != nil:
		cur = n.m
	case n.ob != nil:
		cur = n.ob
	default:
		return nil, absent
	}
	for i, k := range keys {
		var v any
		var found bool
		switch t := cur.(type) {
		case attr.M:
			v, found = attr.Get(t, k)
		case *attr.Object:
			v, found = t.Get(k)
		case nil:
			return nil, absent
		default:
			n.c.wrong(n.field(keys[:i]...), "object", t)
			return nil, bad
		}
		if !found || v == nil {
			return nil, absent
		}
		cur = v
	}
	return cur, ok
}

// str reads text. A number, boolean, object or array is a problem.
func (n node) str(keys ...string) (string, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return "", st
	}
	s, isStr := v.(string)
	if !isStr {
		n.c.wrong(n.field(keys...), "string", v)
		return "", bad
	}
	return s, ok
}

// s reads text, "" when absent or of the wrong type (reported).
func (n node) s(keys ...string) string { v, _ := n.str(keys...); return v }

// boolean reads a JSON boolean (or the text "true"/"false").
func (n node) boolean(keys ...string) (*bool, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return nil, st
	}
	if b := attr.AsBool(v); b != nil {
		return b, ok
	}
	n.c.wrong(n.field(keys...), "boolean", v)
	return nil, bad
}

// b reads a boolean, nil when absent or of the wrong type (reported).
func (n node) b(keys ...string) *bool { v, _ := n.boolean(keys...); return v }

// flag reads a boolean of a Google API, which omits false booleans and
// empty messages: absent reads as false when n itself is present, and as
// unknown when n is not; a wrong type is unknown (reported).
func (n node) flag(keys ...string) *bool {
	if !n.present() {
		return nil
	}
	v, st := n.boolean(keys...)
	switch st {
	case ok:
		return v
	case absent:
		return boolp(false)
	}
	return nil
}

// integer reads an int32 field: a whole JSON number.
func (n node) integer(keys ...string) (*int, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return nil, st
	}
	switch t := v.(type) {
	case float64:
		if t == math.Trunc(t) && math.Abs(t) <= 1e15 {
			i := int(t)
			return &i, ok
		}
	case gojson.Number:
		if i, err := t.Int64(); err == nil && i <= 1e15 && i >= -1e15 {
			x := int(i)
			return &x, ok
		}
	}
	n.c.wrong(n.field(keys...), "integer", v)
	return nil, bad
}

// i reads an int32 field, nil when absent or of the wrong type (reported).
func (n node) i(keys ...string) *int { v, _ := n.integer(keys...); return v }

// i64 reads an int64 field, which Google APIs write as text ("100").
func (n node) i64(keys ...string) *int {
	s, st := n.str(keys...)
	if st != ok {
		return nil
	}
	v, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
	if err != nil || v > 1e15 || v < -1e15 {
		n.c.wrong(n.field(keys...), "integer text", s)
		return nil
	}
	i := int(v)
	return &i
}

// obj reads a nested object; the returned node is zero unless ok.
func (n node) obj(keys ...string) (node, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return node{c: n.c}, st
	}
	o, isObj := nodeOf(v, n.path.Below(keys...), n.c)
	if !isObj {
		n.c.wrong(n.field(keys...), "object", v)
		return node{c: n.c}, bad
	}
	return o, ok
}

// o reads a nested object, a zero node when absent or wrong (reported).
func (n node) o(keys ...string) node { v, _ := n.obj(keys...); return v }

// objs reads an array of objects. An element of another type makes the
// whole list bad (a partial list could turn a FAIL into a PASS); null
// elements are skipped.
func (n node) objs(keys ...string) ([]node, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return nil, st
	}
	a, isArr := v.([]any)
	if !isArr {
		n.c.wrong(n.field(keys...), "array", v)
		return nil, bad
	}
	out := make([]node, 0, len(a))
	base := n.path.Below(keys...)
	for i, e := range a {
		if e == nil {
			continue
		}
		o, isObj := nodeOf(e, base.Elem(i), n.c)
		if !isObj {
			n.c.wrong(base.Elem(i).String(), "object", e)
			return nil, bad
		}
		out = append(out, o)
	}
	return out, ok
}

// strs reads an array of strings. An element of another type makes the
// whole list bad.
func (n node) strs(keys ...string) ([]string, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return nil, st
	}
	a, isArr := v.([]any)
	if !isArr {
		n.c.wrong(n.field(keys...), "array of strings", v)
		return nil, bad
	}
	out := make([]string, 0, len(a))
	for i, e := range a {
		if e == nil {
			continue
		}
		s, isStr := e.(string)
		if !isStr {
			n.c.wrong(fmt.Sprintf("%s[%d]", n.field(keys...), i), "string", e)
			return nil, bad
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return out, ok
}

// strMap reads an object of text values (labels, environment variables).
func (n node) strMap(keys ...string) (map[string]string, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return nil, st
	}
	o, isObj := nodeOf(v, attr.FieldPath{}, n.c)
	if !isObj {
		n.c.wrong(n.field(keys...), "object", v)
		return nil, bad
	}
	out := make(map[string]string, o.size())
	for k, e := range o.members() {
		s, isStr := e.(string)
		if !isStr && e != nil {
			n.c.wrong(n.field(keys...)+"."+k, "string", e)
			return nil, bad
		}
		out[k] = s
	}
	return out, ok
}

// members are the members of the node's object.
func (n node) members() iter.Seq2[string, any] {
	if n.ob != nil {
		return n.ob.All()
	}
	return maps.All(n.m)
}

// enum reads text and compares it case-insensitively with the values: the
// index of the match, -1 for other text, -2 when absent or bad.
func (n node) enum(keys []string, values ...string) int {
	s, st := n.str(keys...)
	if st != ok {
		return -2
	}
	for i, v := range values {
		if strings.EqualFold(s, v) {
			return i
		}
	}
	return -1
}

func k(keys ...string) []string { return keys }

func boolp(v bool) *bool { return &v }

// size is the number of members of the object n (0 when absent).
func (n node) size() int {
	if n.ob != nil {
		return n.ob.Len()
	}
	return len(n.m)
}

// exact is the member of exactly this key, without the case-insensitive
// fallback of the other reads.
func (n node) exact(key string) (any, bool) {
	if n.ob != nil {
		return n.ob.Exact(key)
	}
	v, found := n.m[key]
	return v, found
}

// firstKey is the first of the keys the node's object has exactly, else
// the first key.
func (n node) firstKey(keys ...string) string {
	for _, k := range keys {
		if _, found := n.exact(k); found {
			return k
		}
	}
	return keys[0]
}

// The finishers' lenient reads of a resource's data (assetData), as
// attr.Str, Arr, Objs, Bool and Strs read a map: nothing is reported, a
// number or boolean read as text is formatted, a string holding a JSON
// object or array is decoded, anything else reads as absent.

func (n node) lstr(keys ...string) string    { return attr.StrIn(n.root(), keys...) }
func (n node) larr(keys ...string) []any     { return attr.ArrIn(n.root(), keys...) }
func (n node) lobjs(keys ...string) []attr.M { return attr.ObjsIn(n.root(), keys...) }
func (n node) lbool(keys ...string) *bool    { return attr.BoolIn(n.root(), keys...) }
func (n node) lstrs(keys ...string) []string { return attr.StrsIn(n.root(), keys...) }

// root is the node's object (a map or an Object; nil when absent).
func (n node) root() any {
	if n.ob != nil {
		return n.ob
	}
	if n.m == nil {
		return nil
	}
	return n.m
}
