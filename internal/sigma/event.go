package sigma

import (
	"encoding/json"
	"iter"
	"strconv"
	"strings"
	"unsafe"

	"github.com/tidwall/gjson"
)

// Kind is the JSON type of a Value.
type Kind uint8

const (
	KindNull Kind = iota
	KindString
	KindNumber
	KindBool
	KindObject
	KindArray
)

// Value is a field value read from an event. Str holds the text of strings,
// the JSON text of numbers, "true"/"false" for booleans and the raw JSON of
// objects. A field that resolves to several values (a path through an array
// of objects, or an array of scalars) has Kind KindArray and the values in
// Elems: Sigma matches it when any element matches.
type Value struct {
	Kind  Kind
	Str   string
	Num   float64
	Elems []Value
}

// Event is what a compiled rule is matched against. Field names are the
// event's own JSON paths (dotted, "userIdentity.arn"), i.e. the rule's field
// names after the FieldMap of the log source.
type Event interface {
	// Field returns the value at a dotted path. Missing fields return false;
	// a JSON null returns a KindNull value and true.
	Field(path string) (Value, bool)
	// Keywords yields the text of every scalar leaf of the event, for
	// Sigma keyword (full-text) searches.
	Keywords() iter.Seq[string]
}

// JSONEvent is an Event over the raw bytes of one JSON object. It does not
// decode the event into maps: the top-level keys are indexed once on first
// use and nested paths are resolved inside the (small) sub-objects with gjson.
// A JSONEvent may be reused with Reset to avoid allocations. The raw bytes
// must not be modified while the event is in use.
type JSONEvent struct {
	raw    string
	top    []kv
	parsed bool
	cache  []cached
}

type kv struct {
	key string
	val gjson.Result
}

type cached struct {
	path string
	val  Value
	ok   bool
}

// NewJSONEvent returns an Event reading raw, one JSON object.
func NewJSONEvent(raw []byte) *JSONEvent {
	e := &JSONEvent{}
	e.Reset(raw)
	return e
}

// Reset points the event at another raw JSON object, keeping its buffers.
func (e *JSONEvent) Reset(raw []byte) {
	e.raw = unsafe.String(unsafe.SliceData(raw), len(raw))
	e.top = e.top[:0]
	e.cache = e.cache[:0]
	e.parsed = false
}

func (e *JSONEvent) index() {
	e.parsed = true
	gjson.Parse(e.raw).ForEach(func(k, v gjson.Result) bool {
		e.top = append(e.top, kv{key: k.Str, val: v})
		return true
	})
}

// Field implements Event.
func (e *JSONEvent) Field(path string) (Value, bool) {
	for i := range e.cache {
		if e.cache[i].path == path {
			return e.cache[i].val, e.cache[i].ok
		}
	}
	if !e.parsed {
		e.index()
	}
	v, ok := e.lookup(path)
	if len(e.cache) < 32 {
		e.cache = append(e.cache, cached{path: path, val: v, ok: ok})
	}
	return v, ok
}

func (e *JSONEvent) lookup(path string) (Value, bool) {
	// A top-level key may itself contain dots: try the whole path first.
	if r, ok := findKey(e.top, path); ok {
		return toValue(r), true
	}
	head, rest, hasRest := strings.Cut(path, ".")
	if !hasRest {
		return Value{}, false
	}
	// Longest top-level key prefix made of several segments ("a.b" key).
	for {
		if r, ok := findKey(e.top, head); ok {
			if v, ok := resolve(r, rest); ok {
				return v, true
			}
		}
		var seg string
		seg, rest, hasRest = strings.Cut(rest, ".")
		if !hasRest {
			return Value{}, false
		}
		head = head + "." + seg
	}
}

func findKey(top []kv, key string) (gjson.Result, bool) {
	for i := range top {
		if top[i].key == key {
			return top[i].val, true
		}
	}
	for i := range top {
		if strings.EqualFold(top[i].key, key) {
			return top[i].val, true
		}
	}
	return gjson.Result{}, false
}

// childKey finds key in object r: exact first, then case-insensitively.
func childKey(r gjson.Result, key string) (gjson.Result, bool) {
	var found, fold gjson.Result
	var ok, okFold bool
	r.ForEach(func(k, v gjson.Result) bool {
		if k.Str == key {
			found, ok = v, true
			return false
		}
		if !okFold && strings.EqualFold(k.Str, key) {
			fold, okFold = v, true
		}
		return true
	})
	if ok {
		return found, true
	}
	return fold, okFold
}

// resolve walks a dotted path below r; arrays on the way are flattened.
func resolve(r gjson.Result, path string) (Value, bool) {
	if path == "" {
		return toValue(r), true
	}
	if r.IsArray() {
		var out []Value
		r.ForEach(func(_, el gjson.Result) bool {
			if v, ok := resolve(el, path); ok {
				out = appendFlat(out, v)
			}
			return true
		})
		if len(out) == 0 {
			return Value{}, false
		}
		return Value{Kind: KindArray, Elems: out}, true
	}
	if !r.IsObject() {
		return Value{}, false
	}
	if c, ok := childKey(r, path); ok { // key containing dots
		return toValue(c), true
	}
	head, rest, _ := strings.Cut(path, ".")
	for {
		if c, ok := childKey(r, head); ok {
			if v, ok := resolve(c, rest); ok {
				return v, true
			}
		}
		if rest == "" {
			return Value{}, false
		}
		var seg string
		seg, rest, _ = strings.Cut(rest, ".")
		head = head + "." + seg
	}
}

func appendFlat(out []Value, v Value) []Value {
	if v.Kind == KindArray {
		return append(out, v.Elems...)
	}
	return append(out, v)
}

func toValue(r gjson.Result) Value {
	switch r.Type {
	case gjson.String:
		return Value{Kind: KindString, Str: r.Str}
	case gjson.Number:
		return Value{Kind: KindNumber, Str: r.Raw, Num: r.Num}
	case gjson.True:
		return Value{Kind: KindBool, Str: "true", Num: 1}
	case gjson.False:
		return Value{Kind: KindBool, Str: "false"}
	case gjson.Null:
		return Value{Kind: KindNull}
	}
	if r.IsArray() {
		var out []Value
		r.ForEach(func(_, el gjson.Result) bool {
			out = append(out, toValue(el))
			return true
		})
		// An empty array still exists; its text form is "[]".
		return Value{Kind: KindArray, Elems: out, Str: r.Raw}
	}
	return Value{Kind: KindObject, Str: r.Raw}
}

// Keywords implements Event: every scalar leaf (strings, numbers, booleans).
func (e *JSONEvent) Keywords() iter.Seq[string] {
	return func(yield func(string) bool) {
		walkLeaves(gjson.Parse(e.raw), yield)
	}
}

func walkLeaves(r gjson.Result, yield func(string) bool) bool {
	switch {
	case r.IsObject() || r.IsArray():
		cont := true
		r.ForEach(func(_, v gjson.Result) bool {
			cont = walkLeaves(v, yield)
			return cont
		})
		return cont
	case r.Type == gjson.String:
		return yield(r.Str)
	case r.Type == gjson.Null:
		return true
	default:
		return yield(r.Raw)
	}
}

// MapEvent is an Event over decoded JSON (map[string]any, []any, string,
// float64, bool, nil), used by tests and callers that already hold maps.
type MapEvent map[string]any

// Field implements Event.
func (m MapEvent) Field(path string) (Value, bool) {
	return resolveAny(map[string]any(m), path)
}

func resolveAny(x any, path string) (Value, bool) {
	if path == "" {
		return anyValue(x), true
	}
	switch t := x.(type) {
	case []any:
		var out []Value
		for _, el := range t {
			if v, ok := resolveAny(el, path); ok {
				out = appendFlat(out, v)
			}
		}
		if len(out) == 0 {
			return Value{}, false
		}
		return Value{Kind: KindArray, Elems: out}, true
	case map[string]any:
		if c, ok := mapKey(t, path); ok {
			return anyValue(c), true
		}
		head, rest, _ := strings.Cut(path, ".")
		for {
			if c, ok := mapKey(t, head); ok {
				if v, ok := resolveAny(c, rest); ok {
					return v, true
				}
			}
			if rest == "" {
				return Value{}, false
			}
			var seg string
			seg, rest, _ = strings.Cut(rest, ".")
			head = head + "." + seg
		}
	}
	return Value{}, false
}

func mapKey(m map[string]any, key string) (any, bool) {
	if v, ok := m[key]; ok {
		return v, true
	}
	for k, v := range m {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return nil, false
}

func anyValue(x any) Value {
	switch t := x.(type) {
	case nil:
		return Value{Kind: KindNull}
	case string:
		return Value{Kind: KindString, Str: t}
	case float64:
		return Value{Kind: KindNumber, Str: strconv.FormatFloat(t, 'f', -1, 64), Num: t}
	case int:
		return Value{Kind: KindNumber, Str: strconv.Itoa(t), Num: float64(t)}
	case bool:
		if t {
			return Value{Kind: KindBool, Str: "true", Num: 1}
		}
		return Value{Kind: KindBool, Str: "false"}
	case []any:
		out := make([]Value, 0, len(t))
		for _, el := range t {
			out = append(out, anyValue(el))
		}
		b, _ := json.Marshal(t)
		return Value{Kind: KindArray, Elems: out, Str: string(b)}
	default:
		b, _ := json.Marshal(t)
		return Value{Kind: KindObject, Str: string(b)}
	}
}

// Keywords implements Event.
func (m MapEvent) Keywords() iter.Seq[string] {
	return func(yield func(string) bool) { walkAny(map[string]any(m), yield) }
}

func walkAny(x any, yield func(string) bool) bool {
	switch t := x.(type) {
	case map[string]any:
		for _, v := range t {
			if !walkAny(v, yield) {
				return false
			}
		}
	case []any:
		for _, v := range t {
			if !walkAny(v, yield) {
				return false
			}
		}
	case nil:
	default:
		return yield(anyValue(t).Str)
	}
	return true
}

func itoa(i int) string { return strconv.Itoa(i) }
