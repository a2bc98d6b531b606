package attr

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	gojson "github.com/goccy/go-json"

	"github.com/vigil-sec/vigil/internal/resource"
	"github.com/vigil-sec/vigil/internal/source"
)

// M is a decoded JSON object.
type M = map[string]any

// Problem is a located error inside one input file: the seam's
// source.Problem (Path is set when the problem is not in the file being
// parsed, as in Finalize; Resource and Field name the resource and the
// attribute a problem is about).
type Problem = source.Problem

// Result is what one input file produced.
type Result struct {
	Format    string
	Resources []*resource.Resource
	// Unsupported maps the ID of each resource whose native type is not
	// modelled to that type.
	Unsupported map[string]string
	Problems    []Problem
}

// AddUnsupported records r as a resource of an unmodelled type.
func (r *Result) AddUnsupported(res *resource.Resource) {
	if r.Unsupported == nil {
		r.Unsupported = map[string]string{}
	}
	r.Unsupported[res.ID] = res.Type
}

// ErrorOffset returns the byte offset a decoding error names, or -1.
func ErrorOffset(err error) int64 {
	var se *gojson.SyntaxError
	if errors.As(err, &se) {
		return se.Offset
	}
	var te *gojson.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Offset
	}
	return -1
}

// Get returns m[key], falling back to a case-insensitive match of the key.
func Get(m M, key string) (any, bool) {
	if m == nil {
		return nil, false
	}
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if len(k) == len(key) && strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

// Has reports whether m has key (case-insensitively), whatever its value.
func Has(m M, key string) bool {
	_, ok := Get(m, key)
	return ok
}

// Path follows keys through nested objects. A value that is a string holding
// a JSON object or array (as AWS Config writes configuration and
// supplementaryConfiguration in API outputs) is decoded on the way.
func Path(m M, keys ...string) (any, bool) { return PathIn(m, keys...) }

// PathIn is Path from v, an object (a map or an Object), through nested
// maps and Objects.
func PathIn(v any, keys ...string) (any, bool) {
	cur := v
	for _, k := range keys {
		var next any
		var ok bool
		if o, isObj := cur.(*Object); isObj {
			next, ok = o.Get(k)
		} else if m := AsObj(cur); m != nil {
			next, ok = Get(m, k)
		}
		if !ok {
			return nil, false
		}
		cur = next
	}
	return cur, true
}

// AsObj returns v as an object: a decoded object, or a string holding one.
func AsObj(v any) M {
	switch t := v.(type) {
	case M:
		return t
	case *Object:
		return t.Map()
	case string:
		s := strings.TrimSpace(t)
		if strings.HasPrefix(s, "{") {
			var o M
			if Decode([]byte(s), &o) == nil {
				return o
			}
		}
	}
	return nil
}

// AsArr returns v as an array: a decoded array, or a string holding one.
func AsArr(v any) []any {
	switch t := v.(type) {
	case []any:
		return t
	case string:
		s := strings.TrimSpace(t)
		if strings.HasPrefix(s, "[") {
			var a []any
			if Decode([]byte(s), &a) == nil {
				return a
			}
		}
	}
	return nil
}

// Obj returns the object at the path, or nil.
func Obj(m M, keys ...string) M {
	v, _ := Path(m, keys...)
	return AsObj(v)
}

// Arr returns the array at the path, or nil.
func Arr(m M, keys ...string) []any { return ArrIn(m, keys...) }

// ArrIn is Arr from v, an object (a map or an Object).
func ArrIn(v any, keys ...string) []any {
	v, _ = PathIn(v, keys...)
	return AsArr(v)
}

// Objs returns the objects of the array at the path, skipping other elements.
func Objs(m M, keys ...string) []M { return ObjsIn(m, keys...) }

// ObjsIn is Objs from v, an object (a map or an Object).
func ObjsIn(v any, keys ...string) []M {
	v, _ = PathIn(v, keys...)
	return ObjsOf(v)
}

// ObjsOf returns the objects of v as an array (Objs of the value found),
// skipping other elements.
func ObjsOf(v any) []M {
	a := AsArr(v)
	out := make([]M, 0, len(a))
	for _, e := range a {
		if o := AsObj(e); o != nil {
			out = append(out, o)
		}
	}
	return out
}

// Str returns the string at the path; numbers and booleans are formatted;
// anything else (including null) gives "".
func Str(m M, keys ...string) string { return StrIn(m, keys...) }

// StrIn is Str from v, an object (a map or an Object).
func StrIn(v any, keys ...string) string {
	v, _ = PathIn(v, keys...)
	return AsStr(v)
}

// AsStr formats a scalar JSON value as a string; "" for null, objects, arrays.
func AsStr(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	case gojson.Number:
		return t.String()
	}
	return ""
}

// Strs returns the strings of the array at the path; a single string gives
// a one-element slice.
func Strs(m M, keys ...string) []string { return StrsIn(m, keys...) }

// StrsIn is Strs from v, an object (a map or an Object).
func StrsIn(v any, keys ...string) []string {
	v, ok := PathIn(v, keys...)
	if !ok {
		return nil
	}
	return StrsOf(v)
}

// StrsOf is Strs of the value found: the strings of an array, a string
// holding a JSON array, or a single string as a one-element slice.
func StrsOf(v any) []string {
	if s, ok := v.(string); ok {
		if a := AsArr(s); a != nil {
			v = a
		} else if s != "" {
			return []string{s}
		}
	}
	a, _ := v.([]any)
	out := make([]string, 0, len(a))
	for _, e := range a {
		if s := AsStr(e); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// Bool returns the boolean at the path: JSON true/false or the strings
// "true"/"false" (any case); nil when absent or anything else.
func Bool(m M, keys ...string) *bool { return BoolIn(m, keys...) }

// BoolIn is Bool from v, an object (a map or an Object).
func BoolIn(v any, keys ...string) *bool {
	v, _ = PathIn(v, keys...)
	return AsBool(v)
}

// AsBool reads a JSON boolean or a "true"/"false" string.
func AsBool(v any) *bool {
	switch t := v.(type) {
	case bool:
		return &t
	case string:
		switch strings.ToLower(strings.TrimSpace(t)) {
		case "true":
			return resource.Bool(true)
		case "false":
			return resource.Bool(false)
		}
	}
	return nil
}

// Int returns the integer at the path (a JSON number or a numeric string).
func Int(m M, keys ...string) *int {
	v, _ := Path(m, keys...)
	return AsInt(v)
}

// AsInt reads a JSON number or numeric string as an int.
func AsInt(v any) *int {
	switch t := v.(type) {
	case float64:
		if t > 1e15 || t < -1e15 {
			return nil
		}
		return resource.Int(int(t))
	case string:
		if n, err := strconv.Atoi(strings.TrimSpace(t)); err == nil {
			return resource.Int(n)
		}
	case gojson.Number:
		if n, err := t.Int64(); err == nil {
			return resource.Int(int(n))
		}
	}
	return nil
}

// BoolOr returns b when set, else the value def. Use it only where the
// format documents that an absent field means def (Google APIs omit false
// booleans).
func BoolOr(b *bool, def bool) *bool {
	if b != nil {
		return b
	}
	return resource.Bool(def)
}

// Tags converts the common tag shapes to a map: an object of strings, or an
// array of {key,value} / {Key,Value} objects.
func Tags(v any) map[string]string {
	switch t := v.(type) {
	case *Object:
		if t.Len() == 0 {
			return nil
		}
		out := make(map[string]string, t.Len())
		for _, e := range t.ms {
			out[e.k] = AsStr(e.v)
		}
		return out
	case M:
		if len(t) == 0 {
			return nil
		}
		out := make(map[string]string, len(t))
		for k, val := range t {
			out[k] = AsStr(val)
		}
		return out
	case []any:
		out := map[string]string{}
		for _, e := range t {
			o := AsObj(e)
			if o == nil {
				continue
			}
			k := Str(o, "key")
			if k != "" {
				out[k] = Str(o, "value")
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	}
	return nil
}

// Problemf builds a Problem.
func Problemf(line int, offset int64, format string, args ...any) Problem {
	return Problem{Line: line, Offset: offset, Err: fmt.Sprintf(format, args...)}
}

// Any reports whether any of the pointers is true.
func Any(bs ...*bool) bool {
	for _, b := range bs {
		if b != nil && *b {
			return true
		}
	}
	return false
}

// Set adds a relationship to r unless it is already there.
func Relate(r *resource.Resource, typ, target string) {
	if target == "" {
		return
	}
	for _, rel := range r.Relationships {
		if rel.Type == typ && rel.TargetID == target {
			return
		}
	}
	r.Relationships = append(r.Relationships, resource.Relationship{Type: typ, TargetID: target})
}
