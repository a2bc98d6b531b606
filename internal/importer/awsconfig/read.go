package awsconfig

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/importer/internal/attr"
)

// state is what a typed read of a row field found.
type state int

const (
	absent state = iota // missing or JSON null: the row did not say
	ok                  // present with the expected type
	bad                 // present with another type: reported as a problem
)

// This file is the typed reader the Azure importer uses, for AWS Config
// items: the item is the "row".

// checker collects the problems of one row: every field read with the
// wrong type is reported once, with the resource ID and the field path,
// and the fact that depends on it is left unset (UNKNOWN).
type checker struct {
	id       string
	problems []attr.Problem
	seen     map[string]bool
}

// count is the number of problems so far: a normalizer compares it before
// and after reading a group of fields to drop the facts the group gives
// when one of them had the wrong type.
func (c *checker) count() int { return len(c.problems) }

func (c *checker) wrong(field, want string, got any) {
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	if c.seen[field] {
		return
	}
	c.seen[field] = true
	c.problems = append(c.problems, attr.Problem{
		Resource: c.id, Field: field,
		Err: fmt.Sprintf("%s: %s: want %s, got %s", c.id, field, want, jsonKind(got)),
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
	case attr.M:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// node is an object of a row with its field path from the row ("" for the
// row itself) and the row's checker. A zero node (m nil) reads as absent.
type node struct {
	m    attr.M
	path string
	c    *checker
}

func (n node) field(keys ...string) string {
	p := n.path
	for _, k := range keys {
		if p == "" {
			p = k
		} else {
			p += "." + k
		}
	}
	return p
}

// lookup follows keys through nested objects. A value on the way that is
// neither an object (nor a string holding one) nor null is reported.
func (n node) lookup(keys ...string) (any, state) {
	if n.m == nil {
		return nil, absent
	}
	var cur any = n.m
	for i, k := range keys {
		var o attr.M
		switch t := cur.(type) {
		case attr.M:
			o = t
		case nil:
			return nil, absent
		default:
			if o = attr.AsObj(t); o == nil {
				n.c.wrong(n.field(keys[:i]...), "object", t)
				return nil, bad
			}
		}
		v, found := attr.Get(o, k)
		if !found || v == nil {
			return nil, absent
		}
		cur = v
	}
	return cur, ok
}

// has reports whether the key is present, even as null.
func (n node) has(key string) bool { return n.m != nil && attr.Has(n.m, key) }

// str reads text. A number, boolean, object or array where text belongs
// is a problem.
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

// boolean reads a JSON boolean or the text "true"/"false".
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

// integer reads a whole JSON number or a numeric text.
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
	case string:
		if i, err := strconv.Atoi(strings.TrimSpace(t)); err == nil {
			return &i, ok
		}
	}
	n.c.wrong(n.field(keys...), "integer", v)
	return nil, bad
}

// obj reads a nested object; the returned node is zero unless ok.
func (n node) obj(keys ...string) (node, state) {
	v, st := n.lookup(keys...)
	if st != ok {
		return node{c: n.c}, st
	}
	o := attr.AsObj(v)
	if o == nil {
		n.c.wrong(n.field(keys...), "object", v)
		return node{c: n.c}, bad
	}
	return node{m: o, path: n.field(keys...), c: n.c}, ok
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
	a := attr.AsArr(v)
	if a == nil {
		n.c.wrong(n.field(keys...), "array", v)
		return nil, bad
	}
	out := make([]node, 0, len(a))
	base := n.field(keys...)
	for i, e := range a {
		if e == nil {
			continue
		}
		o := attr.AsObj(e)
		if o == nil {
			n.c.wrong(fmt.Sprintf("%s[%d]", base, i), "object", e)
			return nil, bad
		}
		out = append(out, node{m: o, path: fmt.Sprintf("%s[%d]", base, i), c: n.c})
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
	if s, isStr := v.(string); isStr {
		// AWS Config writes lists as arrays; a string is accepted only
		// when it holds a JSON array (a single value where a list belongs
		// could drop a "*" and turn a FAIL into a PASS).
		if a := attr.AsArr(s); a != nil {
			v = a
		}
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

func boolp(v bool) *bool { return &v }

// not negates a fact, keeping nil.
func not(b *bool) *bool {
	if b == nil {
		return nil
	}
	return boolp(!*b)
}
